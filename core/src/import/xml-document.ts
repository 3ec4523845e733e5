/**
 * The XML layer shared by the GPX and TCX importers: well-formedness check, parse with namespace
 * prefixes removed (so `gpxtpx:hr` and `ns3:TPX` read as `hr` and `TPX`), and typed access to values.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TouchlineError } from '../errors.ts';

export type XmlNode = Record<string, unknown>;

/** Elements that may repeat, read as arrays even when a file has only one. */
const REPEATING = new Set(['trk', 'trkseg', 'trkpt', 'Activity', 'Lap', 'Track', 'Trackpoint']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  // Nothing in a workout needs entities, and leaving them unexpanded rules out entity-expansion bombs.
  processEntities: false,
  isArray: (name) => REPEATING.has(name),
});

/** Parses a document and returns its root element's name and node. */
export function parseXmlDocument(text: string): { rootName: string; root: XmlNode } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new TouchlineError('TL_ERR_XML_PARSE', `The XML is not well-formed at line ${line}, column ${col}: ${msg}`, { line, col });
  }
  const doc = parser.parse(text) as XmlNode;
  const rootName = Object.keys(doc).find((key) => !key.startsWith('?') && !key.startsWith('#') && !key.startsWith('!'));
  const root = rootName === undefined ? undefined : doc[rootName];
  if (rootName === undefined) throw new TouchlineError('TL_ERR_XML_PARSE', 'The XML document has no root element.');
  return { rootName, root: root !== null && typeof root === 'object' ? (root as XmlNode) : {} };
}

/** A child element: the node itself, or undefined when absent or text-only. */
export function child(node: unknown, name: string): XmlNode | undefined {
  const value = node !== null && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

/** The repeating children declared in REPEATING. */
export function children(node: unknown, name: string): XmlNode[] {
  const value = node !== null && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
  return Array.isArray(value) ? value.filter((v): v is XmlNode => v !== null && typeof v === 'object') : [];
}

/** Text content of a child element or attribute (`@_name`), undefined when absent or empty. */
export function text(node: unknown, name: string): string | undefined {
  const value = node !== null && typeof node === 'object' ? (node as XmlNode)[name] : undefined;
  const raw = value !== null && typeof value === 'object' ? (value as XmlNode)['#text'] : value;
  return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
}

/** A numeric child or attribute; a value that is present but not a number is an error naming `where`. */
export function number(node: unknown, name: string, where: string): number | undefined {
  const raw = text(node, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    const label = name.startsWith('@_') ? `attribute ${name.slice(2)}` : `<${name}>`;
    throw new TouchlineError('TL_ERR_XML_PARSE', `${where}: ${label} is "${raw}", not a number.`, { where, field: name });
  }
  return value;
}
