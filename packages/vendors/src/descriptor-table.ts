import type { SettingRule, VendorDescriptor } from '@allparty/core';

/*
 * The descriptor table as one string, the form the embed's main bundle carries (far smaller
 * than object literals): a line per vendor, fields separated by `|`:
 *   id | legal name | purposes (space-separated) | hosts (space-separated) | 1 if it captures contents | disclosure
 * and beside it the setting rules, a line per vendor in the same order, rules separated by a tab,
 * each `[!]name kind rest`: `!` when required, kind `p` + a pattern, `v` + comma-separated values,
 * `b` (a boolean) or `a` (any value; the adapter checks it).
 */

/** Packs descriptors into the table string. Throws on a field that would break the format. */
export function packDescriptors(descriptors: readonly VendorDescriptor[]): string {
  return descriptors
    .map((d) => {
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
      return fields.join('|');
    })
    .join('\n');
}

/** Packs the descriptors' setting rules (see above). Throws on a rule that would break the format. */
export function packSettings(descriptors: readonly VendorDescriptor[]): string {
  return descriptors
    .map((d) =>
      (d.settings ?? [])
        .map((r) => {
          const check = r.boolean
            ? 'b'
            : r.values
              ? `v${r.values.join(',')}`
              : r.pattern !== undefined
                ? `p${r.pattern}`
                : 'a';
          const rule = `${r.required ? '!' : ''}${r.name} ${check}`;
          if (/[\t\n]/.test(rule) || /[\s!]/.test(r.name) || r.values?.some((v) => v.includes(',')))
            throw new Error(`vendor ${d.id}: setting ${r.name} cannot be packed`);
          return rule;
        })
        .join('\t'),
    )
    .join('\n');
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

/** Unpacks the table string (and the setting rules, when given) into descriptors. */
export function unpackDescriptors(table: string, settings?: string): VendorDescriptor[] {
  const rules = settings?.split('\n');
  return table.split('\n').map((line, i) => {
    const [id, legalName, purposes, hosts, contents, disclosure] = line.split('|') as [
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
      ...(rules ? { settings: rules[i] ? rules[i].split('\t').map(unpackRule) : [] } : {}),
    };
  });
}
