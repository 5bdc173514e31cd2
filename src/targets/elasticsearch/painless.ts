// The pipeline's Painless: the mapping runtime and the failure script (painless/), and the checks of what
// Elasticsearch cannot compute exactly as the local evaluator does.
export { RUNTIME, RUNTIME_BODY } from "./painless/runtime";
export { FAILURE_RUNTIME, FAILURE_BODY } from "./painless/failure";
export { mappingScript, failureScript, painlessSource, javaString, type ScriptText } from "./painless/script";
export { buildScriptParams, resolveZone, INGEST_METADATA_KEYS, type TranslationProblem, type ScriptParams } from "./painless/params";
export { javaRegexProblem, translateJsRegex, dslRegex } from "./painless/regex";
