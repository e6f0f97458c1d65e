import { ModelFileError } from '../errors';
import { downloadsStorage } from './downloads';
import { type HttpOptions, httpStorage } from './http';
import { indexedDbStorage } from './indexeddb';
import { localStorageStorage } from './local-storage';
import { hasNodeFileSystem, noFileSystem } from './node-builtin';
import { folderStorage } from './node-folder';
import type { ModelStorage } from './types';

/**
 * Picks the storage for a location: `indexeddb://`, `localstorage://`, `downloads://`,
 * `http(s)://`, `file://` or a plain path (a folder: Node, where `@seqzoo/registry` resolves to
 * its Node build or '@seqzoo/registry/node' was imported). A ModelStorage passes through.
 */
export function resolveStorage(
  location: string | ModelStorage,
  options: { http?: HttpOptions } = {},
): ModelStorage {
  if (typeof location !== 'string') return location;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  const rest = location.slice((scheme?.length ?? 0) + 3);
  switch (scheme) {
    case undefined:
    case 'file':
      // Node only: the Node entries hand over the file system (see node-builtin.ts).
      if (!hasNodeFileSystem()) throw noFileSystem(location);
      return folderStorage(location);
    case 'http':
    case 'https':
      return httpStorage(location, undefined, options.http);
    case 'indexeddb':
      return indexedDbStorage(rest);
    case 'localstorage':
      return localStorageStorage(rest);
    case 'downloads':
      return downloadsStorage(rest);
    default:
      throw new ModelFileError(
        'UNSUPPORTED_URL',
        `no storage for '${scheme}://'. Use a folder path, file://, http(s)://, indexeddb://, localstorage:// or downloads://.`,
        location,
      );
  }
}
