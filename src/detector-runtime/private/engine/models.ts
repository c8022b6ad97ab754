/**
 * The detector models a runtime holds: items `pk = "model#<name>"` with `definition` (JSON
 * `{ detectorModel, inputs }`, as the simulator fixtures hold it) and `version` (S), written at deploy.
 * Each version is compiled once per Lambda container (`compileDetectorModel`) and cached; the items are
 * read again at most every `refreshMs` (default 60 s), so a model update reaches running containers within
 * that time (one eventually consistent GetItem per model per minute per container).
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { CompiledDetectorModel, DetectorModelShape, InputShape, compileDetectorModel } from '../../../private/detector-engine/evaluator';

/** A model as the runtime runs it. */
export interface LoadedModel {
  readonly name: string;
  readonly version: string;
  readonly shape: DetectorModelShape;
  readonly inputs: InputShape[];
  readonly compiled: CompiledDetectorModel;
}

/** The definition stored in a model item. */
export interface ModelDefinition {
  readonly detectorModel: DetectorModelShape;
  readonly inputs: InputShape[];
}

export function modelPk(name: string): string {
  return `model#${name}`;
}

/** Where the model definitions come from. */
export interface ModelSource {
  /** The model item, or undefined when it does not exist. */
  load(name: string): Promise<{ version: string; definition: ModelDefinition } | undefined>;
}

/** Model items in the detector table. */
export class TableModelSource implements ModelSource {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly tableName: string) {}

  public async load(name: string): Promise<{ version: string; definition: ModelDefinition } | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: modelPk(name) } }));
    if (!out.Item) return undefined;
    return { version: String(out.Item.version), definition: JSON.parse(String(out.Item.definition)) };
  }
}

interface CacheEntry {
  readonly model: LoadedModel | undefined;
  readonly loadedAtMs: number;
}

/** The compiled models, cached across invocations. */
export class ModelRegistry {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly compiled = new Map<string, LoadedModel>();

  constructor(
    private readonly source: ModelSource,
    /** The models the runtime holds (env `DETECTOR_MODEL_NAMES`). */
    public readonly modelNames: readonly string[],
    private readonly refreshMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The model, or undefined when the runtime does not hold it. */
  public async get(name: string): Promise<LoadedModel | undefined> {
    if (!this.modelNames.includes(name)) return undefined;
    const hit = this.cache.get(name);
    const t = this.now();
    if (hit && t - hit.loadedAtMs < this.refreshMs) return hit.model;
    const item = await this.source.load(name);
    let model: LoadedModel | undefined;
    if (item) {
      const cacheKey = `${name}\u0000${item.version}`;
      model = this.compiled.get(cacheKey);
      if (!model) {
        const shape = { ...item.definition.detectorModel, detectorModelName: name };
        // checked at synth (DetectorModel); a model read from JSON may read attributes its inputs do not declare
        const compiled = compileDetectorModel(shape, item.definition.inputs, { acceptUndeclaredAttributes: true });
        model = { name, version: item.version, shape, inputs: item.definition.inputs, compiled };
        this.compiled.set(cacheKey, model);
      }
    }
    this.cache.set(name, { model, loadedAtMs: t });
    return model;
  }

  /** Every model the runtime holds that exists. */
  public async all(): Promise<LoadedModel[]> {
    const out: LoadedModel[] = [];
    for (const name of this.modelNames) {
      const m = await this.get(name);
      if (m) out.push(m);
    }
    return out;
  }

  /** The names of the inputs any model defines. */
  public async inputNames(): Promise<Set<string>> {
    const names = new Set<string>();
    for (const m of await this.all()) for (const i of m.inputs) names.add(i.inputName);
    return names;
  }
}
