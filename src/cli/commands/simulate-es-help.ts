// The --es part of `mapstack simulate --help`, apart from simulate-es.ts so that simulate loads the
// Elasticsearch comparison (HTTP client, ingest pipeline builder) only when --es is given.
export const SIMULATE_ES_HELP = `
  --es URL        also run the compiled ingest pipeline on that Elasticsearch cluster (nothing is stored)
                  and compare each document (_source and _id) with the local result, field by field.
                  Elasticsearch 8.12+: POST _ingest/_simulate (the index template's mapping is applied
                  too); older: POST _ingest/pipeline/_simulate (pipeline only, said in the output).
                  Credentials from the environment: MAPSTACK_ES_API_KEY, or MAPSTACK_ES_USERNAME +
                  MAPSTACK_ES_PASSWORD; MAPSTACK_ES_CA_CERT = PEM file of the CA. Exit 1 when any document differs.
                  @timestamp set to the ingest time (data stream without an @timestamp field) is not compared.`;
