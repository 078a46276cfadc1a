package dev.hearth.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image reference is no way to make the Docker daemon, which pulls as root on the host,
 * connect where a tenant chooses. The test owns a port on 127.0.0.1 and ::1 and names it as a
 * registry in image functions; one Hearth lists those registries (so the address rule must
 * refuse them), one keeps Docker Hub only (so the list must). The port must see no connection,
 * and the answers carry Hearth's words only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistryIntegrationTest {

    private static final String SUFFIX = "; build or load the image on the node first";

    @TempDir
    static Path data;
    LoopbackListener listener;
    Hearth listed;
    Hearth unlisted;
    Api listedApi;
    Api unlistedApi;
    String listedToken;
    String unlistedToken;
    int port;

    @BeforeAll
    void start() throws Exception {
        listener = LoopbackListener.open();
        port = listener.port();
        var listedEnv = TestHearth.settings(data.resolve("listed"));
        listedEnv.put("HEARTH_POOL_PYTHON", "0");
        listedEnv.put("HEARTH_REGISTRIES", "127.0.0.1:" + port + ", localhost:" + port + ", [::1]:" + port);
        listed = TestHearth.startWarm(listedEnv);
        var unlistedEnv = TestHearth.settings(data.resolve("unlisted"));
        unlistedEnv.put("HEARTH_POOL_PYTHON", "0");
        unlistedEnv.put("HEARTH_REGISTRIES", "docker.io");
        unlisted = TestHearth.startWarm(unlistedEnv);
        listedApi = new Api(listed.port());
        unlistedApi = new Api(unlisted.port());
        listedToken = listedApi.userWithToken("mallory");
        unlistedToken = unlistedApi.userWithToken("mallory");
    }

    @AfterAll
    void stop() throws Exception {
        if (listed != null) {
            listed.close();
        }
        if (unlisted != null) {
            unlisted.close();
        }
        listener.close();
    }

    private List<String> loopbackImages() {
        return List.of("127.0.0.1:" + port + "/x/y:1", "localhost:" + port + "/x/y", "[::1]:" + port + "/x/y",
                "LOCALHOST:" + port + "/x/y");
    }

    /** 400 unknown_image with exactly Hearth's sentence (so no daemon or registry text), and no function stored. */
    private void assertRefused(Api api, String token, String name, String image, String expected) {
        Api.Reply refused = api.post("/v1/functions", token, Api.image(name, image, "exec"));
        assertEquals(400, refused.status(), refused::toString);
        assertEquals("unknown_image", refused.errorType(), refused::toString);
        assertEquals(expected + SUFFIX, refused.json().get("error").get("message").asText());
        assertEquals(404, api.get("/v1/functions/" + name, token).status(), "nothing is stored for " + image);
    }

    @Test
    void loopbackRegistries_thatAreListed_areRefusedByTheAddressRule_andNeverContacted() {
        int n = 0;
        for (String image : loopbackImages()) {
            String registry = image.substring(0, image.indexOf('/')).toLowerCase(java.util.Locale.ROOT);
            assertRefused(listedApi, listedToken, "listed" + n++, image, "the image '" + image + "' is not on this node, and its "
                    + "registry " + registry + " is at a loopback, private or link-local address");
        }
        assertEquals(0, listedApi.get("/v1/functions", listedToken).json().get("functions").size());
        assertEquals(0, listener.connections(), "nothing connected to the loopback port");
    }

    @Test
    void loopbackRegistries_thatAreNotListed_areRefusedByTheList_andNeverContacted() {
        int n = 0;
        for (String image : loopbackImages()) {
            String registry = image.substring(0, image.indexOf('/')).toLowerCase(java.util.Locale.ROOT);
            assertRefused(unlistedApi, unlistedToken, "unlisted" + n++, image, "the image '" + image + "' is not on this node, "
                    + "and its registry " + registry + " is not one this node may pull from (HEARTH_REGISTRIES)");
        }
        assertEquals(0, listener.connections(), "nothing connected to the loopback port");
    }

    @Test
    void anImageAlreadyOnTheNode_isUsedWithoutAPull_whateverItsRegistry() throws Exception {
        String repository = "127.0.0.1:" + port + "/hearth-test/rev";
        Docker.CLIENT.tagImageCmd("hearth/example-rev", repository, "1").exec();
        try {
            Api.Reply created = unlistedApi.post("/v1/functions", unlistedToken, Api.image("local-rev", repository + ":1", "exec"));
            assertEquals(201, created.status(), created::toString);
            Api.Reply reversed = unlistedApi.invoke(unlistedToken, "local-rev", "abc");
            assertEquals(200, reversed.status(), reversed::toString);
            assertEquals("cba", reversed.json().asText());
            assertEquals(0, listener.connections(), "the image was used as it is, with no pull");
        } finally {
            Docker.CLIENT.removeImageCmd(repository + ":1").exec(); // the tag only: hearth/example-rev keeps the image
        }
    }
}
