package dev.hearth.controlplane.route;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.controlplane.http.Json;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The event a function receives for an HTTP request through a route or a function URL: the API
 * Gateway HTTP API payload format 2.0, the one Lambda function URLs send
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html, "Request payload format";
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * It owns the mapping only: header folding, cookies, query decoding, the text-or-base64 choice.
 */
public final class HttpEvent {

    /** {@code 12/Mar/2020:19:03:58 +0000}, as {@code requestContext.time} is in the real events. */
    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpEvent() {}

    /**
     * One HTTP request as the server saw it.
     *
     * @param headers in arrival order, names as sent; repeated names allowed
     * @param rawQueryString without the {@code ?}, still percent-encoded; empty when there is none
     * @param routeKey {@code "GET /hello/{name}"} for a route, {@code "$default"} for a function URL
     * @param stage {@code "$default"}
     * @param apiId the URL id or the route id
     */
    public record Request(
            String method,
            String rawPath,
            String rawQueryString,
            List<Map.Entry<String, String>> headers,
            String sourceIp,
            byte[] body,
            String routeKey,
            Map<String, String> pathParameters,
            String requestId,
            Instant time,
            String domainName,
            String stage,
            String accountId,
            String apiId) {

        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            rawQueryString = rawQueryString == null ? "" : rawQueryString;
            headers = headers == null ? List.of() : List.copyOf(headers);
            Objects.requireNonNull(sourceIp, "sourceIp");
            body = body == null ? new byte[0] : body;
            Objects.requireNonNull(routeKey, "routeKey");
            pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(domainName, "domainName");
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(apiId, "apiId");
        }
    }

    /** The 2.0 event of {@code r} as UTF-8 JSON. */
    public static byte[] of(Request r) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> header : r.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            String value = header.getValue() == null ? "" : header.getValue();
            if (name.equals("cookie")) {
                // The format moves cookies out of the headers, one array element per cookie.
                for (String cookie : value.split(";")) {
                    if (!cookie.isBlank()) {
                        cookies.add(cookie.strip());
                    }
                }
            } else {
                headers.merge(name, value, (first, next) -> first + "," + next);
            }
        }

        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", r.routeKey());
        event.put("rawPath", r.rawPath());
        event.put("rawQueryString", r.rawQueryString());
        if (!cookies.isEmpty()) {
            cookies.forEach(event.putArray("cookies")::add);
        }
        ObjectNode headerNode = event.putObject("headers");
        headers.forEach(headerNode::put);
        Map<String, String> query = query(r.rawQueryString());
        if (!query.isEmpty()) {
            ObjectNode queryNode = event.putObject("queryStringParameters");
            query.forEach(queryNode::put);
        }
        if (!r.pathParameters().isEmpty()) {
            ObjectNode params = event.putObject("pathParameters");
            // Sorted, so the same request always gives the same bytes.
            r.pathParameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> params.put(e.getKey(), e.getValue()));
        }
        requestContext(event.putObject("requestContext"), r, headers.getOrDefault("user-agent", ""));

        String text = textBody(r.body(), headers.get("content-type"));
        if (r.body().length > 0) {
            event.put("body", text != null ? text : Base64.getEncoder().encodeToString(r.body()));
        }
        event.put("isBase64Encoded", r.body().length > 0 && text == null);
        return Json.write(event);
    }

    private static void requestContext(ObjectNode context, Request r, String userAgent) {
        context.put("accountId", r.accountId());
        context.put("apiId", r.apiId());
        context.put("domainName", r.domainName());
        int dot = r.domainName().indexOf('.');
        context.put("domainPrefix", dot < 0 ? r.domainName() : r.domainName().substring(0, dot));
        ObjectNode http = context.putObject("http");
        http.put("method", r.method());
        http.put("path", r.rawPath());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", r.sourceIp());
        http.put("userAgent", userAgent);
        context.put("requestId", r.requestId());
        context.put("routeKey", r.routeKey());
        context.put("stage", r.stage());
        context.put("time", TIME.format(r.time()));
        context.put("timeEpoch", r.time().toEpochMilli());
    }

    /**
     * The query decoded as a form is ({@code +} is a space, as API Gateway has it), repeated keys'
     * values comma-joined in order; a malformed escape leaves that key or value as sent.
     */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(key, value, (first, next) -> first + "," + next);
        }
        return params;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return part;
        }
    }

    /**
     * The body as text when its type is a text type (or none is given) and its bytes are valid
     * UTF-8, else null: base64 then, so no byte is ever lost to a replacement character.
     */
    static String textBody(byte[] body, String contentType) {
        if (body.length == 0 || !isTextType(contentType)) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return null;
        }
    }

    static boolean isTextType(String contentType) {
        if (contentType == null) {
            return true;
        }
        // The media type alone: parameters cut at ';', a second (comma-joined) value at ','.
        String type = contentType.split("[;,]", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.startsWith("text/")) {
            return true;
        }
        if (!type.startsWith("application/")) {
            return false;
        }
        String sub = type.substring("application/".length());
        return sub.equals("json") || sub.endsWith("+json")
                || sub.equals("xml") || sub.endsWith("+xml")
                || sub.equals("javascript") || sub.equals("x-www-form-urlencoded");
    }
}
