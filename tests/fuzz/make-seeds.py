#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets: tests/fuzz/corpus/TARGET/.

The seeds are the examples of the two command-set documents and
protocol-notes.md (/work/shared/spec): replies in both dialects, the error
forms, the escaped defaults `/1.php[3F]` and `Connection: close[0D][0A]`,
the hex payload `7777772E7573722E636E`, the README's addresses and the
profile of atc-profile.h. Run it again after changing the catalog (the
escape target picks a command by its index in the catalog) or the input
layouts described at the top of each fuzz-*.c. Files are named after what
they hold, so a rerun rewrites the same files.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, '..', '..', 'data', 'catalog')

CRLF = '\r\n'


def write(target, name, data):
    directory = os.path.join(HERE, 'corpus', target)
    os.makedirs(directory, exist_ok=True)
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(os.path.join(directory, name), 'wb') as f:
        f.write(data)


# fuzz-reply-parser: options byte, chunking seed, sent line, LF, stream.
COLON, PLUS_OK = 0, 1
REPLY, MULTILINE, HANDSHAKE_A, HANDSHAKE_OK = 0, 1, 2, 3


def reply_seed(name, dialect, expect, sent, stream, value_expected=False,
               silence=False, chunk_seed=7):
    options = 0x40 | dialect | expect << 1 | int(value_expected) << 3 | int(silence) << 4
    write('fuzz-reply-parser', name,
          bytes([options, chunk_seed]) + sent.encode() + b'\n' + stream.encode('latin-1'))


def g781(body):
    """A G781 query reply: CR LF +CMD:value CR LF CR LF OK CR LF."""
    return f'{CRLF}{body}{CRLF}{CRLF}OK{CRLF}'


def reply_seeds():
    # G781 (colon dialect), as its document prints each return line.
    reply_seed('g781-at-two-oks', COLON, REPLY, 'AT', f'{CRLF}OK{CRLF}{CRLF}OK{CRLF}')
    reply_seed('g781-echo-query', COLON, REPLY, 'AT+E', 'AT+E\r' + g781('+E:ON'), True)
    reply_seed('g781-csq', COLON, REPLY, 'AT+CSQ', g781('+CSQ:25'), True)
    reply_seed('g781-csq-upper-echo', COLON, REPLY, 'at+csq', 'AT+CSQ\r' + g781('+CSQ:99'),
               True)
    reply_seed('g781-netmode-space', COLON, REPLY, 'AT+NETMODE', g781('+ NETMODE:6'), True)
    reply_seed('g781-uart-typo-order', COLON, REPLY, 'AT+UART',
               g781('+UART:115200,NONE,8,1,NFC'), True)
    reply_seed('g781-uart', COLON, REPLY, 'AT+UART', g781('+UART:115200,8,1,NONE,NFC'), True)
    reply_seed('g781-apn-ok-space', COLON, REPLY, 'AT+APN',
               f'{CRLF}+APN:CMNET,,,0{CRLF}{CRLF} OK{CRLF}', True)
    reply_seed('g781-heart-snd', COLON, REPLY, 'AT+HEARTSND', g781('+HEART SND:NET'), True)
    reply_seed('g781-heart-tm', COLON, REPLY, 'AT+HEARTTM', g781('+HEART TM:30'), True)
    reply_seed('g781-htpurl', COLON, REPLY, 'AT+HTPURL', g781('+HTPURL:/1.php[3F]'), True)
    reply_seed('g781-htphd', COLON, REPLY, 'AT+HTPHD',
               g781('+HTPHD:Connection: close[0D][0A]'), True)
    reply_seed('g781-regdt', COLON, REPLY, 'AT+REGDT', g781('+REGDT:7777772E7573722E636E'),
               True)
    reply_seed('g781-socka', COLON, REPLY, 'AT+SOCKA', g781('+SOCKA:TCPC,test.usr.cn,2317'),
               True)
    reply_seed('g781-stmsg-error-word', COLON, REPLY, 'AT+STMSG', g781('+STMSG:ERROR here '),
               True)
    reply_seed('g781-set', COLON, REPLY, 'AT+UARTFT=100', f'AT+UARTFT=100\r{CRLF}OK{CRLF}')
    reply_seed('g781-set-apn-secret', COLON, REPLY, 'AT+APN=CMNET,user,secret,0',
               f'AT+APN=CMNET,USER,SECRET,0\r{CRLF}OK{CRLF}')
    reply_seed('g781-error', COLON, REPLY, 'AT+FOO', f'{CRLF}ERROR{CRLF}')
    reply_seed('g781-err4', COLON, REPLY, 'AT+UART=1', f'{CRLF}ERR4{CRLF}')
    reply_seed('g781-cme-error', COLON, REPLY, 'AT+CPIN', f'{CRLF}+CME ERROR: 10{CRLF}', True)
    reply_seed('g781-held-ok', COLON, REPLY, 'AT+CSQ', f'{CRLF}OK{CRLF}' + g781('+CSQ:31'),
               True)
    reply_seed('g781-held-ok-silence', COLON, REPLY, 'AT+CSQ', f'{CRLF}OK{CRLF}', True, True)
    reply_seed('g781-password', COLON, REPLY, 'www.usr.cn#AT+CSQ',
               'www.usr.cn#AT+CSQ\r' + g781('+CSQ:20'), True)
    reply_seed('g781-password-bare-echo', COLON, REPLY, 'www.usr.cn#AT+CSQ',
               'AT+CSQ\r' + g781('+CSQ:20'), True)
    reply_seed('g781-welcome-noise', COLON, REPLY, 'AT+VER',
               f'{CRLF}USR_G781{CRLF}' + g781('+VER:V1.1.05'), True)
    reply_seed('g781-help', COLON, MULTILINE, 'AT+H',
               f'{CRLF}AT+H: help{CRLF}AT+E: echo{CRLF}AT+ERR: not an error{CRLF}{CRLF}OK{CRLF}')
    reply_seed('g781-help-silence', COLON, MULTILINE, 'AT+H',
               f'{CRLF}AT+H: help{CRLF}AT+CSQ: signal', silence=True)
    reply_seed('handshake-a', COLON, HANDSHAKE_A, '', 'a')
    reply_seed('handshake-a-wrong', COLON, HANDSHAKE_A, '', '+++')
    reply_seed('handshake-ok', COLON, HANDSHAKE_OK, '', f'{CRLF}+ok{CRLF}')
    reply_seed('handshake-ok-upper', PLUS_OK, HANDSHAKE_OK, '', '+OK')
    reply_seed('handshake-ok-half', COLON, HANDSHAKE_OK, '', '+o', silence=True)
    reply_seed('garbage-then-reply', COLON, REPLY, 'AT+CSQ',
               '\x00\xff\x1b[2J\r\n+CSQ:1\r\n\r\nOK\r\n', True)
    reply_seed('lone-cr', PLUS_OK, REPLY, 'AT+E', '\r+OK=ON\r', silence=True)
    reply_seed('two-replies', COLON, REPLY, 'AT', f'{CRLF}OK{CRLF}{CRLF}OK{CRLF}{CRLF}OK{CRLF}')

    # M0 (+OK dialect).
    reply_seed('m0-echo', PLUS_OK, REPLY, 'AT+E', f'{CRLF}+OK=ON{CRLF}')
    reply_seed('m0-uart', PLUS_OK, REPLY, 'AT+UART', f'AT+UART\r{CRLF}+OK=115200,8,1,NONE,NFC{CRLF}')
    reply_seed('m0-wann', PLUS_OK, REPLY, 'AT+WANN',
               f'{CRLF}+OK=STATIC,192.168.0.7,255.255.255.0,192.168.0.1{CRLF}')
    reply_seed('m0-reld', PLUS_OK, REPLY, 'AT+RELD', f'{CRLF}+OK=rebooting...{CRLF}')
    reply_seed('m0-entm', PLUS_OK, REPLY, 'AT+ENTM', f'{CRLF}+OK{CRLF}')
    reply_seed('m0-htphead', PLUS_OK, REPLY, 'AT+HTPHEAD',
               f'{CRLF}+OK=Connection: close<<CRLF>>{CRLF}')
    reply_seed('m0-set', PLUS_OK, REPLY, 'AT+SOCK=TCPC,192.168.0.201,8234', f'{CRLF}+OK{CRLF}')
    reply_seed('m0-err-4', PLUS_OK, REPLY, 'AT+UART=1', f'{CRLF}+ERR=-4{CRLF}')
    reply_seed('m0-err-colon', PLUS_OK, REPLY, 'AT+UART=1', f'{CRLF}+ERR:4{CRLF}')
    reply_seed('m0-err-bare', PLUS_OK, REPLY, 'AT+UART=1', f'{CRLF}ERR4{CRLF}')
    reply_seed('m0-err-5', PLUS_OK, REPLY, 'AT+Z', f'{CRLF}+ERR=-5{CRLF}')
    reply_seed('m0-welcome', PLUS_OK, REPLY, 'AT+VER',
               f'USR-M0 welcome{CRLF}{CRLF}+OK=4016{CRLF}')


# fuzz-escape: options byte, command index, text.
def catalog_commands():
    commands = []
    for model in sorted(os.listdir(CATALOG)):
        if not model.endswith('.json'):
            continue
        with open(os.path.join(CATALOG, model), encoding='utf-8') as f:
            catalog = json.load(f)
        commands += [(catalog['id'], c['name']) for c in catalog['commands']]
    return commands


def escape_seeds():
    commands = catalog_commands()

    def seed(name, model, command, text, null_value=False):
        index = commands.index((model, command))
        assert index < 256
        write('fuzz-escape', name, bytes([int(null_value), index]) + text.encode('latin-1'))

    seed('htpurl', 'g781', 'HTPURL', '/1.php[3F]')
    seed('htphd', 'g781', 'HTPHD', 'Connection: close[0D][0A]')
    seed('htphead-crlf', 'm0', 'HTPHEAD', 'Connection: close<<CRLF>>User_Agent: Mozilla/4.0')
    seed('htphead-lookalike', 'm0', 'HTPHEAD', '[3D][2C][3F][0D][0A][00][3f][GG][3')
    seed('regdt', 'g781', 'REGDT', '7777772E7573722E636E')
    seed('heartdt-odd', 'g781', 'HEARTDT', '7777772E75737 22E636E')
    seed('uart-g781', 'g781', 'UART', '115200,8,1,NONE,NFC')
    seed('uart-g781-typo', 'g781', 'UART', '115200,NONE,8,1,NFC')
    seed('uart-m0', 'm0', 'UART', '115200,8,1,NONE,NFC')
    seed('apn', 'g781', 'APN', 'CMNET,,,0')
    seed('apn-secret', 'g781', 'APN', 'CMNET,user,se[2C]cret,1')
    seed('socka', 'g781', 'SOCKA', 'TCPC,test.usr.cn,2317')
    seed('wann', 'm0', 'WANN', 'STATIC,192.168.0.7,255.255.255.0,192.168.0.1')
    seed('webu', 'm0', 'WEBU', 'admin,admin')
    seed('cmdpw', 'g781', 'CMDPW', 'www.usr.cn#')
    seed('stmsg', 'g781', 'STMSG', 'USR_G781 ')
    seed('usermac', 'm0', 'USERMAC', 'D8B04CFC0001')
    seed('reld-value', 'm0', 'RELD', 'rebooting...')
    seed('csq-null', 'g781', 'CSQ', '', null_value=True)
    seed('injection', 'g781', 'STMSG', 'hello;AT+CLEAR\r\n')


def address_seeds():
    addresses = {
        'tty': '/dev/ttyUSB0',
        'serial-full': 'serial:/dev/ttyUSB0?baud=115200&parity=none&data=8&stop=1&flow=none',
        'serial-7e2': 'serial:/dev/ttyS1?baud=9600&data=7&parity=E&stop=2&flow=rtscts',
        'pty': 'pty:/dev/pts/5',
        'pts-path': '/dev/pts/3?model=m0',
        'tcp': 'tcp:192.168.0.7:8234',
        'tcp-ipv6': 'tcp:[::1]:2000',
        'tcp-host-password': 'tcp:example.com:2317?password=www.usr.cn%23&model=g781',
        'demo-g781': 'demo:g781',
        'demo-m0-baud': 'demo:m0?baud=57600',
        'password-query': '/dev/ttyUSB0?password=www.usr.cn%23?x%26y',
        'stray-percent': 'serial:/dev/ttyUSB0?password=50%',
        'bad-scheme': 'http://example.com',
    }
    for name, text in addresses.items():
        write('fuzz-address', name, text)


def profile_seeds():
    header = {
        'schema': 1,
        'model': 'g781',
        'firmware': 'V1.1.05',
        'notes': 'Pump station uplink',
        'settings': {
            'UART': {'baud_rate': '115200', 'parity': 'NONE'},
            'WKMOD': {'mode': 'NET'},
        },
    }
    g781 = {
        'schema': 1,
        'model': 'g781',
        'settings': {
            'UART': {'baud_rate': '115200', 'data_bits': '8', 'stop_bits': '1',
                     'parity': 'NONE', 'flow_control': 'NFC'},
            'APN': {'apn': 'CMNET', 'username': '', 'password': 'secret', 'auth': '0'},
            'SOCKA': {'protocol': 'TCPC', 'address': 'test.usr.cn', 'port': '2317'},
            'REGDT': {'data': '7777772E7573722E636E'},
            'HTPURL': {'url': '/1.php?'},
            'HTPHD': {'header': 'Connection: close\r\n'},
            'STMSG': {'message': 'USR_G781'},
        },
    }
    m0 = {
        'schema': 1,
        'model': 'm0',
        'firmware': '4016',
        'settings': {
            'WANN': {'mode': 'STATIC', 'address': '192.168.0.7', 'mask': '255.255.255.0',
                     'gateway': '192.168.0.1'},
            'WEBU': {'username': 'admin', 'password': 'admin'},
            'SOCK': {'protocol': 'TCPC', 'address': '192.168.0.201', 'port': '8234'},
            'HTPHEAD': {'header': 'User_Agent: Mozilla/4.0'},
            'REGUSR': {'data': 'www.usr.cn'},
        },
    }
    broken = {
        'schema': 2,
        'model': 'g781',
        'extra': True,
        'settings': {
            'CSQ': {'rssi': '20'},
            'UART': {'baud_rate': 115200, 'parity': 'SOMETIMES', 'speed': '1'},
            'APN': {'password': 'far-too-long-secret-' * 4},
            'VER': {},
        },
    }
    write('fuzz-profile', 'header-example.json', json.dumps(header, indent=2))
    write('fuzz-profile', 'g781-full.json', json.dumps(g781, indent=2))
    write('fuzz-profile', 'm0-full.json', json.dumps(m0, indent=2))
    write('fuzz-profile', 'problems.json', json.dumps(broken, indent=2))
    write('fuzz-profile', 'not-json', '{"schema": 1, "model": "m0", "settings": {')


def main():
    reply_seeds()
    escape_seeds()
    address_seeds()
    profile_seeds()
    return 0


if __name__ == '__main__':
    sys.exit(main())
