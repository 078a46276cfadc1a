package dev.hearth.controlplane.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The Authorization header's parsing; the signature itself is checked end to end by the SDK and CLI tests. */
class SigV4VerifierTest {

    static final String SIG = "a".repeat(64);

    static String code(String header) {
        return assertThrows(LambdaError.class, () -> SigV4Verifier.parse(header)).code();
    }

    @Test
    void aWellFormedHeader_isSplitIntoItsParts() {
        var signed = SigV4Verifier.parse("AWS4-HMAC-SHA256 Credential=HKIAAAAAAAAAAAAAAAAA/20250131/eu-west-3/lambda/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + SIG);
        assertEquals("HKIAAAAAAAAAAAAAAAAA", signed.accessKeyId());
        assertEquals("20250131", signed.date());
        assertEquals("eu-west-3", signed.region());
        assertEquals("host;x-amz-date", signed.signedHeaders());
        assertEquals(SIG, signed.signature());
    }

    @Test
    void missingOrMalformedHeaders_are403_neverAServerError() {
        assertEquals("MissingAuthenticationTokenException", code(null));
        assertEquals("MissingAuthenticationTokenException", code(" "));
        assertEquals("IncompleteSignatureException", code("Bearer hth_abc"));
        assertEquals("IncompleteSignatureException", code("AWS4-HMAC-SHA256 Credential=x"));
        assertEquals("IncompleteSignatureException", code("AWS4-HMAC-SHA256 garbage"));
        assertEquals("IncompleteSignatureException", code("AWS4-HMAC-SHA256 Credential=K/2025/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=host, Signature=" + SIG));
        assertEquals("IncompleteSignatureException", code("AWS4-HMAC-SHA256 Credential=K/20250131/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=Host;X-Amz-Date, Signature=" + SIG));
        assertEquals("IncompleteSignatureException", code("AWS4-HMAC-SHA256 Credential=K/20250131/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=x-amz-date, Signature=" + SIG));
        assertEquals("IncompleteSignatureException", code("AWS4-HMAC-SHA256 Credential=K/20250131/us-east-1/lambda/aws4_request, "
                + "SignedHeaders=host, Signature=xyz"));
        assertEquals("InvalidSignatureException", code("AWS4-HMAC-SHA256 Credential=K/20250131/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host, Signature=" + SIG));
    }
}
