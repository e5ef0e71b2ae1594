import type { VendorDescriptor } from '@allparty/core';

/*
 * The descriptor table as one string, the form the embed's main bundle carries (far smaller
 * than object literals): a line per vendor, fields separated by `|`:
 *   id | legal name | purposes (space-separated) | hosts (space-separated) | 1 if it captures contents | disclosure
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

/** Unpacks the table string into descriptors. */
export function unpackDescriptors(table: string): VendorDescriptor[] {
  return table.split('\n').map((line) => {
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
    };
  });
}
