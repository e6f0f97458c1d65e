// A TypeDoc plugin (loaded by docs.mjs): names each entry point's module by the specifier a user
// imports (`@seqzoo/registry`, `@seqzoo/data/node`) instead of its folder (`packages/registry/src`),
// in the reference, in warnings and in api/undocumented.json.
import { Converter, ReflectionKind } from 'typedoc';
import { root } from './ensure-setup.mjs';
import { publishedEntries } from './package-entries.mjs';

/** TypeDoc's default module name for an entry file: its path without `.ts` and `/index`. */
const folderName = (source) => source.replace(/\.ts$/, '').replace(/\/index$/, '');

export function load(app) {
  const names = new Map(
    publishedEntries(root).map((e) => [
      folderName(e.source),
      e.subpath === '.' ? e.name : `${e.name}/${e.subpath.slice(2)}`,
    ]),
  );
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const name = names.get(module.name);
      if (name) module.name = name;
    }
  });
}
