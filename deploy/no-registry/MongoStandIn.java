import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * A stand-in for mongo:7 where no registry can be reached: the embedded store's engine
 * (mongo-java-server on an H2 file, already inside hearth.jar) serving the MongoDB wire protocol
 * on 27017, so the Compose topology can be tried as it is. For trying the topology only: it has
 * no authentication, no replication and one H2 file; use MongoDB for real deployments.
 */
public class MongoStandIn {
    public static void main(String[] args) throws Exception {
        var server = new MongoServer(new H2Backend("/data/db/hearth.mv"));
        server.bind("0.0.0.0", 27017);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        Thread.currentThread().join();
    }
}
