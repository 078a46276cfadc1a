package dev.hearth.controlplane.lambda;

import dev.hearth.controlplane.user.AccessKeys;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * Checks a request's AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...} with
 * {@code X-Amz-Date}) and names the user whose access key signed it. The signature is computed
 * again by the AWS SDK's own signer ({@link AwsV4HttpSigner}) over the request as received (method,
 * path, query, the headers the client signed, the body's SHA-256) with the key's secret, the
 * client's date and credential scope, and compared in constant time. The scope's service must be
 * {@code lambda}; its region is taken as given. A date more than {@link #MAX_SKEW} from this
 * clock is refused, so a captured request cannot be replayed later.
 */
final class SigV4Verifier {

    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final String SERVICE = "lambda";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern SCOPE_PART = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern SIGNED_HEADERS = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~\\-]+(;[a-z0-9!#$%&'*+.^_`|~\\-]+){0,63}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");
    static final String MISMATCH = "The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    /** The parts of an {@code Authorization} header. */
    record Signed(String accessKeyId, String date, String region, String service, String signedHeaders, String signature) {}

    private final AccessKeys keys;
    private final Clock clock;
    @SuppressWarnings("deprecation") // still shipped and maintained; see the class comment for why not AwsV4HttpSigner
    private final Aws4Signer signer = Aws4Signer.create();

    SigV4Verifier(AccessKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The owner of the key that signed this request, or a 403 {@link LambdaError} naming what is wrong. */
    String verify(HttpServerExchange exchange, byte[] body) {
        Signed signed = parse(exchange.getRequestHeaders().getFirst("Authorization"));
        Instant date = date(exchange.getRequestHeaders().getFirst("X-Amz-Date"), signed);
        AccessKeys.Key key = lookup(signed.accessKeyId());
        String expected = signature(exchange, body, signed, date, key);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signed.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw LambdaError.forbidden("InvalidSignatureException", MISMATCH);
        }
        return key.owner();
    }

    static Signed parse(String header) {
        if (header == null || header.isBlank()) {
            throw LambdaError.forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!header.startsWith(ALGORITHM + " ")) {
            throw incomplete("Authorization header must start with '" + ALGORITHM + " ' (AWS Signature Version 4)");
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : header.substring(ALGORITHM.length() + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq < 1) {
                throw incomplete("Authorization header has a part that is not 'Name=value'");
            }
            parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        String credential = required(parts, "Credential");
        String signedHeaders = required(parts, "SignedHeaders");
        String signature = required(parts, "Signature");
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !scope[4].equals("aws4_request") || !scope[1].matches("[0-9]{8}")
                || !SCOPE_PART.matcher(scope[0]).matches() || !SCOPE_PART.matcher(scope[2]).matches() || !SCOPE_PART.matcher(scope[3]).matches()) {
            throw incomplete("Credential must be '<access key id>/<yyyyMMdd>/<region>/lambda/aws4_request'");
        }
        if (!SIGNED_HEADERS.matcher(signedHeaders).matches()) {
            throw incomplete("SignedHeaders must be lowercase header names separated by ';'");
        }
        if (!SIGNATURE.matcher(signature).matches()) {
            throw incomplete("Signature must be 64 lowercase hexadecimal digits");
        }
        if (!scope[3].equals(SERVICE)) {
            throw LambdaError.forbidden("InvalidSignatureException", "Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        if (!(";" + signedHeaders + ";").contains(";host;")) {
            throw incomplete("SignedHeaders must include 'host'");
        }
        return new Signed(scope[0], scope[1], scope[2], scope[3], signedHeaders, signature);
    }

    private Instant date(String header, Signed signed) {
        if (header == null) {
            throw incomplete("Authorization header requires existence of a 'X-Amz-Date' header.");
        }
        Instant date;
        try {
            date = Instant.from(AMZ_DATE.parse(header));
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must be an ISO 8601 basic date and time in UTC, as 20250131T235959Z");
        }
        if (!header.startsWith(signed.date())) {
            throw LambdaError.forbidden("InvalidSignatureException",
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                            + signed.date() + "' != '" + header.substring(0, 8) + "'");
        }
        Instant now = clock.instant();
        if (date.isBefore(now.minus(MAX_SKEW))) {
            throw LambdaError.forbidden("InvalidSignatureException", "Signature expired: " + header + " is now earlier than "
                    + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (date.isAfter(now.plus(MAX_SKEW))) {
            throw LambdaError.forbidden("InvalidSignatureException", "Signature not yet current: " + header + " is still later than "
                    + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        return date;
    }

    private AccessKeys.Key lookup(String accessKeyId) {
        Optional<AccessKeys.Key> key;
        try {
            key = keys.find(accessKeyId);
        } catch (com.mongodb.MongoException | IllegalStateException e) {
            throw new LambdaError(500, "ServiceException", "access keys cannot be checked right now; try again shortly");
        }
        return key.orElseThrow(() -> LambdaError.forbidden("UnrecognizedClientException",
                "The security token included in the request is invalid."));
    }

    /** What the SDK's signer makes of the request as received, signed with the key's secret. */
    private String signature(HttpServerExchange exchange, byte[] body, Signed signed, Instant date, AccessKeys.Key key) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            throw incomplete("the request has no Host header");
        }
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod().toString()))
                .protocol(exchange.getRequestScheme())
                .host(hostName(host))
                .encodedPath(exchange.getRequestURI())
                .contentStreamProvider(ContentStreamProvider.fromByteArrayUnsafe(body));
        int port = hostPort(host);
        if (port > 0) {
            request.port(port);
        }
        query(exchange.getQueryString(), request);
        for (String name : signed.signedHeaders().split(";")) {
            HeaderValues values = exchange.getRequestHeaders().get(name);
            if (values == null) {
                throw LambdaError.forbidden("InvalidSignatureException", MISMATCH);
            }
            request.putHeader(name, java.util.List.copyOf(values));
        }
        SdkHttpFullRequest result = signer.sign(request.build(), Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))
                .signingName(signed.service())
                .signingRegion(Region.of(signed.region()))
                .signingClockOverride(Clock.fixed(date, ZoneOffset.UTC))
                .build());
        String authorization = result.firstMatchingHeader("Authorization").orElse("");
        int at = authorization.lastIndexOf("Signature=");
        return at < 0 ? "" : authorization.substring(at + "Signature=".length()).trim();
    }

    /** Query parameters as the signer takes them: decoded, in the order received. */
    private static void query(String query, SdkHttpFullRequest.Builder request) {
        if (query == null || query.isEmpty()) {
            return;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                request.appendRawQueryParameter(decode(name), decode(value));
            } catch (IllegalArgumentException e) {
                throw LambdaError.forbidden("InvalidSignatureException", MISMATCH);
            }
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static int hostPort(String host) {
        int close = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        if (colon <= close) {
            return -1;
        }
        try {
            return Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw incomplete("the Host header's port is not a number");
        }
    }

    private static String required(Map<String, String> parts, String name) {
        String value = parts.get(name);
        if (value == null || value.isEmpty()) {
            throw incomplete("Authorization header requires '" + name + "' parameter.");
        }
        return value;
    }

    private static LambdaError incomplete(String message) {
        return LambdaError.forbidden("IncompleteSignatureException", message);
    }
}
