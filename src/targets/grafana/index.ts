// synth artifacts of the Grafana target: the dashboard JSON the Pulumi program sends as configJson.
import { jsonArtifact, type Target } from "../artifacts";
import { datasetDashboard } from "./dashboard";

export const grafanaTarget: Target = {
  name: "grafana",
  synth: ({ settings, datasets }) => datasets.map((d) => jsonArtifact(`${d.name}/grafana/dashboard.json`, datasetDashboard(d, settings))),
};
