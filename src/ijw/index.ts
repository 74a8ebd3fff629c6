// The iJW capability's public door: read, write and judge iJW 3.2 messages. Other capabilities (the import and
// booking of declarations, the JW325/JW301 export, the web inbox) use only what is exported here.
//
//   readMessage(source)            stream of events: head, one per Client, end (flat memory; see reader.ts)
//   readFullMessage(source)        the whole message as one typed object (small messages)
//   writeMessage(type, message)    XML text; writeMessageStream(type, envelope, clients, write) for large ones
//   checkXsd(source)               the official XSDs, by the checker generated from them (one streaming pass; the
//                                  reader does the same with ReadOptions.xsd, beside the rules)
//   validateXsd(source)            the official XSDs by libxml2-wasm, in parts of 1 MB: the reference for the tests
//   checkMessage(events, opts)     the rules in layers (bericht, extern, historie) over readMessage's events
//   validateFile(file, opts)       all of it for one file: the verdict `ijw validate` prints
//   History / DbHistory / MemoryHistory   what the cross-message rules need from earlier messages
export { readMessage, readFullMessage, sniffMessageType, createParser, type ReadEvent, type ReadOptions } from './reader.ts';
export { writeMessage, writeMessageStream, type WriteOptions } from './writer.ts';
export { validateXsd, type XsdFinding, type XsdResult, type XsdOptions } from './xsd.ts';
export { checkXsd, type CheckXsdOptions } from './xsd-stream.ts';
export { validateFile, verdictJson, exitCode, type Verdict, type ValidateOptions } from './validate.ts';
export { checkMessage, type CheckOptions, type CheckResult } from './rules/engine.ts';
export { RULES, ruleByCode } from './rules/registry.ts';
export type { Finding, Layer, RuleDef, RuleContext, Checker, ClientAt } from './rules/types.ts';
export type { History, HistoryRequest, HistorySnapshot, AllocationInfo, DeclaredTotals, ContractTariff } from './rules/history-types.ts';
export { MemoryHistory, type MemoryHistoryData, type MemoryAllocation, type MemoryDeclaredLine, type MemoryTariff } from './history-memory.ts';
export { DbHistory } from './history-db.ts';
// what a JW323 import booked, for whoever keeps figures of the ledger (monitoring's facts; wired in src/wiring.ts)
export { onCareDatesStored, onDeclarationBooked, type BookedLine, type BookedLines, type BookedListener, type CareDatesListener } from './import/booked.ts';
export { nationalLists, extendLists, type NationalLists } from './lists.ts';
export { RETOURCODES, retourcodeText } from './retourcodes.ts';
export { IjwReadError, type ReadErrorCode } from './errors.ts';
export { textChunks, DEFAULT_MAX_BYTES, type MessageSource, type SourceOptions } from './source.ts';
export { messageSchema, messageTypeForNamespace, isMessageType, MESSAGE_TYPES, MESSAGE_SPECS, BASIS_NAMESPACE } from './schema.ts';
export type * from './schema.generated.ts';
