/**
 * Names in the ledger table's schema that code outside infra/ also needs (the local workflow runner
 * creates the same table in dynalite). Kept free of Pulumi imports so the runner loads it cheaply.
 */

/**
 * The ledger's sparse index of open transcode tasks: only task items carry `waiting`, and only while
 * they wait, so the reconciler reads the few open tasks instead of scanning every claim ever made.
 */
export const WAITING_TASKS_INDEX = "waiting-tasks";

/** The attribute the index is keyed on: "1" while a task waits, absent otherwise. */
export const WAITING_ATTRIBUTE = "waiting";
