/**
 * Functions: validating a definition ({@code FunctionValidator}, {@code SettingRanges}), storing
 * its versions ({@code FunctionStore}) and code ({@code CodeStore}, GridFS by digest), building
 * what needs it ({@code FunctionBuilds}), quotas, the route cache ({@code Functions}), sweeping
 * archives no function uses ({@code ArchiveSweep}) and the {@code /v1/functions} routes.
 */
package dev.hearth.controlplane.function;
