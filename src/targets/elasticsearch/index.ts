// synth target: <dataset>/elasticsearch/{index-template,ingest-pipeline,ilm-policy}.json per dataset with an ES sink.
import { jsonArtifact, type Artifact, type Target } from "../artifacts";
import type { CompiledDataset } from "../../dsl/types";
import type { StackSettings } from "../../settings/stack-settings";
import { buildIlmPolicy, buildIndexTemplate, type IlmPolicy, type IndexTemplate } from "./index-template";
import { esNames, type EsNames } from "./names";
import { buildFailureTemplate, buildIngestPipeline, FAILURE_TEMPLATE_NAME, type IngestPipeline } from "./pipeline";

export interface EsArtifacts {
  names: EsNames;
  template: IndexTemplate;
  pipeline: IngestPipeline;
  policy: IlmPolicy;
}

export function esArtifacts(ds: CompiledDataset, settings: StackSettings): EsArtifacts {
  return { names: esNames(ds), template: buildIndexTemplate(ds, settings), pipeline: buildIngestPipeline(ds), policy: buildIlmPolicy(ds, settings) };
}

export const elasticsearchTarget: Target = {
  name: "elasticsearch",
  synth: ({ datasets, settings }) =>
    datasets.some((d) => d.sinks.elasticsearch)
      ? [
          jsonArtifact(`_stack/elasticsearch/${FAILURE_TEMPLATE_NAME}.index-template.json`, buildFailureTemplate()),
          ...datasets.filter((d) => d.sinks.elasticsearch).flatMap((d): Artifact[] => {
            const a = esArtifacts(d, settings);
            return [
              jsonArtifact(`${d.name}/elasticsearch/index-template.json`, a.template),
              jsonArtifact(`${d.name}/elasticsearch/ingest-pipeline.json`, a.pipeline),
              jsonArtifact(`${d.name}/elasticsearch/ilm-policy.json`, a.policy),
            ];
          }),
        ]
      : [],
};

export { esNames, buildIndexTemplate, buildIngestPipeline, buildIlmPolicy };
