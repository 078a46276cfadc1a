package dev.hearth.controlplane.lambda;

/**
 * What the Invoke API's {@code FunctionName} names, in any form Lambda takes: {@code my-function},
 * {@code my-function:alias}, {@code 123456789012:function:my-function[:qualifier]} or
 * {@code arn:aws:lambda:<region>:<account>:function:my-function[:qualifier]}, with the
 * {@code Qualifier} query parameter beside it. The ARN's region and account are not checked: each
 * Hearth user has its own functions, and the access key says whose.
 *
 * @param qualifier null when neither the name nor the query gives one
 */
record FunctionRef(String name, String qualifier) {

    static FunctionRef parse(String functionName, String queryQualifier) {
        if (functionName == null || functionName.isEmpty() || functionName.length() > 170) {
            throw LambdaError.invalidParameter("FunctionName must be 1 to 170 characters long");
        }
        String[] parts = functionName.split(":", -1);
        String name;
        String qualifier;
        if (parts.length >= 6 && parts[0].equals("arn")) {
            if (parts.length > 8 || !parts[2].equals("lambda") || !parts[5].equals("function")) {
                throw LambdaError.invalidParameter("FunctionName is not a Lambda function ARN: " + functionName);
            }
            name = part(parts, 6);
            qualifier = parts.length == 8 ? parts[7] : null;
        } else if (parts.length >= 3 && parts[1].equals("function")) {
            if (parts.length > 4) {
                throw LambdaError.invalidParameter("FunctionName is not a partial function ARN: " + functionName);
            }
            name = parts[2];
            qualifier = parts.length == 4 ? parts[3] : null;
        } else if (parts.length <= 2) {
            name = parts[0];
            qualifier = parts.length == 2 ? parts[1] : null;
        } else {
            throw LambdaError.invalidParameter("FunctionName must be a name, name:qualifier or a function ARN: " + functionName);
        }
        if (name.isEmpty() || (qualifier != null && qualifier.isEmpty())) {
            throw LambdaError.invalidParameter("FunctionName has an empty name or qualifier: " + functionName);
        }
        String query = queryQualifier == null || queryQualifier.isEmpty() ? null : queryQualifier;
        if (qualifier != null && query != null && !qualifier.equals(query)) {
            throw LambdaError.invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
        }
        return new FunctionRef(name, qualifier != null ? qualifier : query);
    }

    private static String part(String[] parts, int index) {
        return parts.length > index ? parts[index] : "";
    }
}
