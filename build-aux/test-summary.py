#!/usr/bin/env python3
"""Counts test cases from meson's test logs and prints 'N passed, N failed'.

Each test program speaks TAP, so the count is per test case, not per
program. A program that crashed or timed out before reporting counts as one
failure of its own, and so does one whose output holds a sanitizer or
valgrind report although its cases passed (a child process may have made
it). Given several logs (the main run and the sanitizer run), it prints
their sum.
"""
import json
import re
import sys

TAP_LINE = re.compile(r'^(not ok|ok)\b(.*)$')
REPORT = re.compile(r'^==\d+==ERROR: (AddressSanitizer|LeakSanitizer)|: runtime error: |'
                    r'^==\d+== ERROR SUMMARY: [1-9]', re.MULTILINE)


def main(paths):
    passed = failed = skipped = 0
    failures = []
    for path in paths:
        p, f, s = count(path, failures)
        passed += p
        failed += f
        skipped += s
    for failure in failures:
        print(f'FAILED {failure}')
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    return 1 if failed else 0


def count(path, failures):
    passed = failed = skipped = 0
    try:
        log = open(path, encoding='utf-8')
    except FileNotFoundError:
        failures.append(f'{path}: no test log (did the build fail?)')
        return 0, 1, 0
    with log:
        for raw in log:
            entry = json.loads(raw)
            name = entry.get('name', '?')
            result = entry.get('result', 'ERROR')
            p = f = s = 0
            for line in (entry.get('stdo') or entry.get('stdout') or '').splitlines():
                m = TAP_LINE.match(line.strip())
                if not m:
                    continue
                rest = m.group(2)
                if '# SKIP' in rest.upper():
                    s += 1
                elif m.group(1) == 'ok' or '# TODO' in rest.upper():
                    p += 1
                else:
                    f += 1
                    failures.append(f'{name}:{rest.strip()}')
            if result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and f == 0:
                f = 1
                failures.append(f'{name}: {result}')
            output = (entry.get('stdo') or entry.get('stdout') or '') + \
                (entry.get('stde') or entry.get('stderr') or '')
            if f == 0 and REPORT.search(output):
                f = 1
                failures.append(f'{name}: sanitizer or valgrind report')
            if result == 'SKIP' and p == f == s == 0:
                s = 1
            passed += p
            failed += f
            skipped += s
    return passed, failed, skipped


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
