import type { SettingRule, VendorDescriptor } from '@allparty/core';

/*
 * The descriptor table as two strings, the form the embed's main bundle carries (far smaller than
 * object literals):
 * - the vendors, a line each, fields separated by `|`:
 *     id | legal name | purposes (space-separated) | hosts (space-separated) | 1 if it captures contents | disclosure | setting rules
 *   where the setting rules are indexes, base 36 and space-separated, into
 * - the setting rules, each distinct rule written once (most vendors share `integrity`, many the
 *   same id format), separated by a tab, each `[!]name kind rest`: `!` when required, kind `p` + a
 *   pattern, `v` + comma-separated values, `b` (a boolean) or `a` (any value; the adapter checks it).
 */

/** The packed table: the vendor lines and the setting rules they point into. */
export interface PackedTable {
  vendors: string;
  rules: string;
}

function packRule(id: string, r: SettingRule): string {
  const check = r.boolean
    ? 'b'
    : r.values
      ? `v${r.values.join(',')}`
      : r.pattern !== undefined
        ? `p${r.pattern}`
        : 'a';
  const rule = `${r.required ? '!' : ''}${r.name} ${check}`;
  if (/[\t\n]/.test(rule) || /[\s!]/.test(r.name) || r.values?.some((v) => v.includes(',')))
    throw new Error(`vendor ${id}: setting ${r.name} cannot be packed`);
  return rule;
}

/** Packs descriptors into the table (see above). Throws on a field or rule that would break the format. */
export function packTable(descriptors: readonly VendorDescriptor[]): PackedTable {
  const rules: string[] = [];
  const indexOf = (rule: string) => {
    const at = rules.indexOf(rule);
    return (at < 0 ? rules.push(rule) - 1 : at).toString(36);
  };
  const vendors = descriptors.map((d) => {
    const fields = [
      d.id,
      d.legalName,
      d.purposes.join(' '),
      d.hosts.join(' '),
      d.capturesContents ? '1' : '',
      d.disclosure ?? '',
    ];
    if (fields.some((f) => /[|\n]/.test(f)) || [...d.purposes, ...d.hosts].some((f) => !f || /\s/.test(f)))
      throw new Error(`vendor ${d.id}: a field cannot be packed`);
    return [...fields, (d.settings ?? []).map((r) => indexOf(packRule(d.id, r))).join(' ')].join('|');
  });
  return { vendors: vendors.join('\n'), rules: rules.join('\t') };
}

function unpackRule(text: string): SettingRule {
  const space = text.indexOf(' ');
  const required = text.startsWith('!');
  const name = text.slice(required ? 1 : 0, space);
  const kind = text[space + 1];
  const rest = text.slice(space + 2);
  return {
    name,
    ...(kind === 'p' ? { pattern: rest } : kind === 'v' ? { values: rest.split(',') } : {}),
    ...(kind === 'b' ? { boolean: true } : {}),
    ...(required ? { required: true } : {}),
  };
}

/** Unpacks the table into descriptors, each with its own setting rule objects. */
export function unpackDescriptors(vendors: string, rules: string): VendorDescriptor[] {
  const texts = rules.split('\t');
  return vendors.split('\n').map((line) => {
    const [id, legalName, purposes, hosts, contents, disclosure, settings] = line.split('|') as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    return {
      id,
      legalName,
      purposes: purposes.split(' '),
      hosts: hosts.split(' '),
      capturesContents: contents === '1',
      disclosure,
      settings: settings ? settings.split(' ').map((i) => unpackRule(texts[parseInt(i, 36)]!)) : [],
    };
  });
}
