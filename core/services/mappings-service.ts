import { ContractError, type Services } from '../contract';
import { MappingTemplateStore } from '../csv/templates';
import { translate } from './csv-service';
import type { SchemaLoader } from './schema-loader';
import type { FileAccess } from './file-access';
import { refuseToOverwrite } from './file-guard';

type MappingsChannel =
  | 'mappings:list'
  | 'mappings:save'
  | 'mappings:load'
  | 'mappings:rename'
  | 'mappings:delete'
  | 'mappings:export'
  | 'mappings:import';

/**
 * Mapping templates kept as JSON files in `folder` (the data folder's `mappings/`), through the
 * CSV pipeline's template store. Loading a template for a list whose columns changed since it was
 * saved succeeds with a warning naming the changed columns; the mapping is then checked again by
 * the preview before anything is sent.
 */
export function createMappingsServices(deps: {
  folder: string;
  loadSchema: SchemaLoader;
  files: FileAccess;
}): Pick<Services, MappingsChannel> {
  const store = new MappingTemplateStore(deps.folder);
  const guard = <T>(work: () => Promise<T>) =>
    translate(async () => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof ContractError || !(error instanceof Error)) throw error;
        if (error.name === 'CsvFileError') throw error;
        throw new ContractError('conflict', error.message);
      }
    });

  return {
    'mappings:list': () => guard(() => store.list()),
    'mappings:save': ({ name, mapping, source }) =>
      guard(async () => {
        const template = await store.save(name, mapping, await deps.loadSchema(source));
        return {
          name: template.name,
          savedAt: template.savedAt,
          schemaFingerprint: template.schemaFingerprint,
        };
      }),
    'mappings:load': ({ name, source }) =>
      guard(async () => {
        const loaded = await store.load(name, await deps.loadSchema(source));
        return {
          name: loaded.template.name,
          mapping: loaded.template.mapping,
          ...(loaded.warning ? { warning: loaded.warning } : {}),
        };
      }),
    'mappings:rename': ({ from, to }) =>
      guard(async () => {
        await store.rename(from, to);
        return { name: to };
      }),
    'mappings:delete': ({ name }) =>
      guard(async () => {
        const existed = (await store.list()).some((template) => template.name === name);
        await store.delete(name);
        return { deleted: existed };
      }),
    'mappings:export': ({ name, path, overwrite }) =>
      guard(async () => {
        const target = deps.files.check(path, 'write', 'the mapping file');
        refuseToOverwrite([target], overwrite);
        await store.exportTo(name, target, overwrite);
        return { path };
      }),
    'mappings:import': ({ path, source }) =>
      guard(async () => {
        const loaded = await store.importFrom(
          deps.files.check(path, 'read', 'the mapping file'),
          await deps.loadSchema(source),
        );
        return {
          name: loaded.template.name,
          mapping: loaded.template.mapping,
          ...(loaded.warning ? { warning: loaded.warning } : {}),
        };
      }),
  };
}
