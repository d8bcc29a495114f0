/**
 * Names inside an export ZIP: whatever a candidate called a file or a centre numbered a
 * dossier, each becomes one path segment every unzip tool accepts on every system (no
 * separators, no reserved characters or Windows device names, no leading dots), and no two
 * entries of a folder share a name, even on a case-insensitive file system.
 */
const RESERVED_CHARACTERS = /[\\/:*?"<>|]/g;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const MAX_SEGMENT = 150;

export function safeSegment(raw: string): string {
  let name = raw
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(RESERVED_CHARACTERS, '_')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (name.length === 0) name = '_';
  if (WINDOWS_DEVICES.test(name)) name = `_${name}`;
  const chars = [...name];
  return chars.length > MAX_SEGMENT ? chars.slice(0, MAX_SEGMENT).join('') : name;
}

/** Hands out names unique within one folder: "scan.pdf", then "scan (2).pdf", "scan (3).pdf"… */
export class UniqueNames {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    const dot = wanted.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [wanted.slice(0, dot), wanted.slice(dot)] : [wanted, ''];
    let name = wanted;
    for (let n = 2; this.used.has(name.toLowerCase()); n++) name = `${stem} (${n})${ext}`;
    this.used.add(name.toLowerCase());
    return name;
  }
}
