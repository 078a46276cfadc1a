/**
 * {@code hearth.yaml} and {@code hearth apply}/{@code hearth export}: the spec model
 * ({@link dev.hearth.cli.spec.Spec}), read strictly with every refusal naming its field and line
 * ({@link dev.hearth.cli.spec.SpecReader}, {@code SpecCheck}); the code of each function found and
 * digested ({@link dev.hearth.cli.spec.Sources}); what exists read once
 * ({@link dev.hearth.cli.spec.Existing}); the plan computed as pure code from the two
 * ({@link dev.hearth.cli.spec.Planner}, {@code FunctionDiff}, {@code UrlDiff}: a
 * {@link dev.hearth.cli.spec.Plan} of {@link dev.hearth.cli.spec.Change}s); carrying it out
 * ({@link dev.hearth.cli.spec.Applier}); and the spec of what exists
 * ({@link dev.hearth.cli.spec.Exporter}).
 */
package dev.hearth.cli.spec;
