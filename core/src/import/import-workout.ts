/**
 * One entry point for every workout file: recognises the format from the bytes (a FIT header, an XML
 * root of `gpx` or `TrainingCenterDatabase`, else a CSV table) and hands it to its importer. The
 * filename only matters when the content is neither FIT nor XML: then a `.fit` name reports a damaged
 * FIT file and a `.gpx` or `.tcx` name an XML problem, rather than a CSV one.
 */
import { TouchlineError } from '../errors.ts';
import { importCsv } from './csv.importer.ts';
import { importFit, looksLikeFit } from './fit.importer.ts';
import { importGpx } from './gpx.importer.ts';
import { importTcx } from './tcx.importer.ts';
import type { Workout } from './workout.ts';
import { parseXmlDocument } from './xml-document.ts';

const SUPPORTED = 'Touchline reads FIT, GPX, TCX and CSV workout files.';

function extensionOf(filename: string | undefined): string | undefined {
  const match = filename === undefined ? null : /\.([A-Za-z0-9]+)$/.exec(filename);
  return match?.[1]?.toLowerCase();
}

function unsupported(message: string, filename: string | undefined): TouchlineError {
  return new TouchlineError('TL_ERR_UNSUPPORTED_FORMAT', `${message} ${SUPPORTED}`, filename === undefined ? undefined : { filename });
}

function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function importWorkout(bytes: Uint8Array, filenameHint?: string): Workout {
  if (looksLikeFit(bytes)) return importFit(bytes);
  if (bytes.length === 0) throw unsupported('The file is empty.', filenameHint);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw unsupported('The file is gzip-compressed: decompress it first (gunzip).', filenameHint);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) throw unsupported('The file is a ZIP archive: extract the workout file from it first.', filenameHint);

  const text = decodeText(bytes)?.trimStart();
  if (text?.startsWith('<')) {
    const { rootName, root } = parseXmlDocument(text);
    if (rootName === 'gpx') return importGpx(root);
    if (rootName === 'TrainingCenterDatabase') return importTcx(root);
    throw unsupported(`The XML root element is <${rootName}>, not <gpx> or <TrainingCenterDatabase>.`, filenameHint);
  }
  // Neither FIT nor XML by content: the name says which problem to report.
  const extension = extensionOf(filenameHint);
  if (extension === 'fit') return importFit(bytes);
  if (text === undefined) throw unsupported('The file is binary but has no FIT header.', filenameHint);
  if (text.startsWith('{') || text.startsWith('[')) throw unsupported('The file looks like JSON.', filenameHint);
  if (extension === 'gpx' || extension === 'tcx') {
    throw new TouchlineError('TL_ERR_XML_PARSE', `The file is named .${extension} but does not start with an XML element.`, { filename: filenameHint });
  }
  return importCsv(text);
}
