// The SDK publishes its entry points only through package.json "exports", which this project's
// moduleResolution ("node") cannot see; these aliases give tsc the same files Node loads at run time.
declare module "@grafana/grafana-foundation-sdk/dashboard" {
  export * from "@grafana/grafana-foundation-sdk/dist/dashboard/index";
}
declare module "@grafana/grafana-foundation-sdk/timeseries" {
  export * from "@grafana/grafana-foundation-sdk/dist/timeseries/index";
}
declare module "@grafana/grafana-foundation-sdk/stat" {
  export * from "@grafana/grafana-foundation-sdk/dist/stat/index";
}
declare module "@grafana/grafana-foundation-sdk/prometheus" {
  export * from "@grafana/grafana-foundation-sdk/dist/prometheus/index";
}
declare module "@grafana/grafana-foundation-sdk/common" {
  export * from "@grafana/grafana-foundation-sdk/dist/common/index";
}
declare module "@grafana/grafana-foundation-sdk/cog" {
  export * from "@grafana/grafana-foundation-sdk/dist/cog/index";
}
