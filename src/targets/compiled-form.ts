// The compiled form itself, so reviewers see exactly what every other artifact was derived from.
import { jsonArtifact, type Target } from "./artifacts";

export const compiledFormTarget: Target = {
  name: "compiled",
  synth: ({ datasets }) => datasets.map((d) => jsonArtifact(`${d.name}/compiled.json`, d)),
};
