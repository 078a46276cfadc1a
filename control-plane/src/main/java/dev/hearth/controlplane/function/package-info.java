/**
 * Functions: validating a definition ({@code FunctionValidator}, {@code SettingRanges}), making its
 * immutable versions ({@code Definitions}) and storing them ({@code FunctionStore},
 * {@code VersionStore}) with their code ({@code CodeStore}, GridFS by digest), aliases
 * ({@code Aliases}) and labels ({@code Labels}, the function's own marks, such as {@code hearth apply}'s), resolving a call's qualifier ({@code Resolver}), keeping the pool in step
 * with what is routed to ({@code Targets}), building what needs it ({@code FunctionBuilds}),
 * quotas, sweeping archives no version uses ({@code ArchiveSweep}) and the {@code /v1/functions}
 * routes ({@code FunctionRoutes}, {@code VersionRoutes}).
 */
package dev.hearth.controlplane.function;
