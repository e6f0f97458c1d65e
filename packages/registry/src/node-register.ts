import * as fs from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import * as path from 'node:path';
import { registerNodeFileSystem } from './storage/node-builtin';

/** Gives the folder storage Node's file system (called by the Node entries when they load). */
export function registerNode(): void {
  registerNodeFileSystem({ fs, fsPromises, path });
}
