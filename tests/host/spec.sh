#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# spec.sh - docs/vmscope.yaml (the netlink spec) against
# module/uapi/vmscope.h (the C header): every enum, flag, attribute and
# command name of one is in the other with the same value, both ways;
# the family name, version and constants agree; the spec's references
# resolve; and, when Debian's linux-source-6.12 is there, the spec passes
# the kernel's own genetlink-legacy schema.  Names follow the kernel's
# YAML-to-C rules (tools/net/ynl): PREFIX + entry name, upper case, '-'
# as '_'.  TAP on stdout.
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/host/tap.bash"

spec=$top/docs/vmscope.yaml
header=$top/module/uapi/vmscope.h
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! python3 -c 'import yaml' 2>/dev/null; then
	skip "spec" "python3-yaml is not installed"
	tap_done
	exit
fi

# The header's values, as the compiler sees them: every enumerator and
# VMSCOPE_* define, printed by a program generated from the header.
python3 - "$header" >"$work/names.c" <<'EOF' || { not_ok "read $header"; tap_done; exit; }
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
print('#include <stdio.h>\n#include "vmscope.h"\nint main(void)\n{')
for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\}\s*;', text, re.S):
    for member in m.group(2).split(','):
        name = re.match(r'\s*(\w+)', member)
        if name:
            print('\tprintf("enum %s %s %%lld\\n", (long long)%s);'
                  % (m.group(1), name.group(1), name.group(1)))
for m in re.finditer(r'#define\s+(VMSCOPE_\w+)\s+(\S.*)', text):
    name, value = m.group(1), m.group(2).strip()
    if value.startswith('"'):
        print('\tprintf("define %s s:%%s\\n", %s);' % (name, name))
    else:
        print('\tprintf("define %s %%lld\\n", (long long)(%s));'
              % (name, name))
print('\treturn 0;\n}')
EOF
if ! cc -Wall -I"$top/module/uapi" -o "$work/names" "$work/names.c" \
	>"$work/cc.log" 2>&1 || ! "$work/names" >"$work/header.txt"; then
	not_ok "the header compiles"
	diag "$(cat "$work/cc.log")"
	tap_done
	exit
fi
ok "the header compiles and lists $(wc -l <"$work/header.txt") names"

# The kernel's schema for genetlink-legacy specs, from linux-source-6.12.
schema_dir=$top/build/netlink-schema
schema=$schema_dir/Documentation/netlink/genetlink-legacy.yaml
tarball=/usr/src/linux-source-6.12.tar.xz
if [ ! -f "$schema" ] && [ -f "$tarball" ]; then
	mkdir -p "$schema_dir"
	tar -xJf "$tarball" -C "$schema_dir" --strip-components=1 \
		linux-source-6.12/Documentation/netlink/genetlink-legacy.yaml \
		2>/dev/null || true
fi

# The rest continues the TAP numbering and prints the plan.
python3 - "$spec" "$work/header.txt" "$schema" "$tap_n" <<'EOF'
import re, sys
import yaml

spec_path, header_path, schema_path = sys.argv[1:4]
n = int(sys.argv[4])
failed = 0

def ok(name):
    global n
    n += 1
    print('ok %d %s' % (n, name))

def not_ok(name, why):
    global n, failed
    n += 1
    failed += 1
    print('not ok %d %s' % (n, name))
    for line in why:
        print('# ' + line)

def skip(name, why):
    global n
    n += 1
    print('ok %d %s # SKIP %s' % (n, name, why))

def c_upper(s):
    return s.upper().replace('-', '_')

try:
    spec = yaml.safe_load(open(spec_path))
    ok('docs/vmscope.yaml is YAML')
except Exception as e:
    not_ok('docs/vmscope.yaml is YAML', [str(e)])
    print('1..%d' % n)
    sys.exit(1)

try:
    import jsonschema
    schema = yaml.safe_load(open(schema_path))
except ImportError:
    skip('the spec passes genetlink-legacy.yaml', 'python3-jsonschema missing')
    schema = None
except OSError:
    skip('the spec passes genetlink-legacy.yaml',
         'no linux-source-6.12 to take the schema from')
    schema = None
if schema is not None:
    try:
        jsonschema.Draft7Validator(schema).validate(spec)
        ok('the spec passes genetlink-legacy.yaml')
    except jsonschema.ValidationError as e:
        not_ok('the spec passes genetlink-legacy.yaml',
               [e.message, 'at ' + '/'.join(str(p) for p in e.path)])

# The header: enum NAME -> {member: value}, defines.
enums, defines = {}, {}
for line in open(header_path):
    kind, rest = line.rstrip('\n').split(' ', 1)
    if kind == 'enum':
        enum, member, value = rest.split(' ')
        enums.setdefault(enum, {})[member] = int(value)
    else:
        name, value = rest.split(' ', 1)
        defines[name] = value[2:] if value.startswith('s:') else int(value)

family = spec['name']

# The spec's groups, each rendered as C names with their values.
groups = []   # (what, enum name, {NAME: value}, implicit unspec allowed)
for d in spec.get('definitions', []):
    if d['type'] not in ('enum', 'flags'):
        continue
    prefix = d.get('name-prefix', '%s-%s-' % (family, d['name']))
    value, members = d.get('value-start', 0), {}
    for e in d['entries']:
        e = e if isinstance(e, dict) else {'name': e}
        value = e.get('value', value)
        members[c_upper(prefix + e['name'])] = \
            1 << value if d['type'] == 'flags' else value
        value += 1
    groups.append(('%s %s' % (d['type'], d['name']),
                   d.get('enum-name', '%s-%s' % (family, d['name'])),
                   members, False))
for s in spec['attribute-sets']:
    prefix = s.get('name-prefix', '%s-a-%s-' % (family, s['name']))
    value, members = 1, {}
    for a in s['attributes']:
        value = a.get('value', value)
        members[c_upper(prefix + a['name'])] = value
        value += 1
    groups.append(('attribute-set %s' % s['name'],
                   s.get('enum-name', '%s-%s' % (family, s['name'])),
                   members, True))
ops = spec['operations']
prefix = ops.get('name-prefix', family + '-cmd-')
value, members = 1, {}
for o in ops['list']:
    value = o.get('value', value)
    members[c_upper(prefix + o['name'])] = value
    value += 1
groups.append(('operations', ops.get('enum-name', family + '-cmd'),
               members, True))

def is_counter(enum, name, members):
    """__X_MAX = last + 1 and X_MAX = last, closing a C enum."""
    last = max(v for k, v in members.items() if not k.endswith('_MAX'))
    if name.startswith('__') and name.endswith('_MAX'):
        return members[name] == last + 1
    if name.endswith('_MAX') and '__' + name in members:
        return members[name] == last
    return False

seen_enums = set()
for what, enum_name, want, unspec in groups:
    cname = enum_name.replace('-', '_')
    have = enums.get(cname)
    if have is None:
        not_ok('%s is enum %s in the header' % (what, cname),
               ['no such enum in the header'])
        continue
    seen_enums.add(cname)
    why = []
    for name, value in want.items():
        if name not in have:
            why.append('%s is in the spec, not in the header' % name)
        elif have[name] != value:
            why.append('%s: spec %d, header %d' % (name, value, have[name]))
    for name, value in have.items():
        if name in want or is_counter(cname, name, have):
            continue
        # YAML specs leave attribute and command 0 (UNSPEC) implicit.
        if unspec and value == 0 and name.endswith('_UNSPEC') and \
           0 not in want.values():
            continue
        why.append('%s = %d is in the header, not in the spec' % (name, value))
    if why:
        not_ok('%s agrees with enum %s' % (what, cname), why)
    else:
        ok('%s agrees with enum %s (%d names)' % (what, cname, len(want)))

extra = sorted(set(enums) - seen_enums)
if extra:
    not_ok('every enum of the header is in the spec',
           ['enum %s is not' % e for e in extra])
else:
    ok('every enum of the header is in the spec')

# Defines: family name and version, constants.
why = []
want = {
    c_upper(spec.get('c-family-name', family + '-family-name')): family,
    c_upper(spec.get('c-version-name', family + '-family-version')):
        spec.get('version', 1),
}
for d in spec.get('definitions', []):
    if d['type'] == 'const':
        want[c_upper('%s-%s' % (family, d['name']))] = d['value']
for name, value in want.items():
    if name not in defines:
        why.append('%s is in the spec, not in the header' % name)
    elif defines[name] != value:
        why.append('%s: spec %r, header %r' % (name, value, defines[name]))
for name in defines:
    if name not in want:
        why.append('#define %s is in the header, not in the spec' % name)
if why:
    not_ok('family name, version and constants agree', why)
else:
    ok('family name, version and constants agree')

# References inside the spec.
why = []
defs = {d['name']: d for d in spec.get('definitions', [])}
sets = {s['name']: s for s in spec['attribute-sets']}
for s in spec['attribute-sets']:
    for a in s['attributes']:
        if 'nested-attributes' in a and a['nested-attributes'] not in sets:
            why.append('%s.%s: no attribute-set %s' %
                       (s['name'], a['name'], a['nested-attributes']))
        if 'enum' in a and a['enum'] not in defs:
            why.append('%s.%s: no definition %s' %
                       (s['name'], a['name'], a['enum']))
for o in ops['list']:
    aset = sets.get(o.get('attribute-set'))
    if aset is None:
        why.append('%s: no attribute-set %s' % (o['name'],
                                                  o.get('attribute-set')))
        continue
    names = {a['name'] for a in aset['attributes']}
    for mode in ('do', 'dump'):
        for part in ('request', 'reply'):
            for a in o.get(mode, {}).get(part, {}).get('attributes', []):
                if a not in names:
                    why.append('%s %s %s: no attribute %s in %s' %
                               (o['name'], mode, part, a, aset['name']))
if why:
    not_ok("the spec's references resolve", why)
else:
    ok("the spec's references resolve")

print('1..%d' % n)
sys.exit(1 if failed else 0)
EOF
