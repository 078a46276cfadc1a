package dev.hearth.controlplane.function;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.gridfs.GridFSBucket;
import com.mongodb.client.gridfs.GridFSBuckets;
import com.mongodb.client.gridfs.model.GridFSFile;
import com.mongodb.client.gridfs.model.GridFSUploadOptions;
import dev.hearth.poolmanager.CodeSource;
import dev.hearth.poolmanager.code.Digests;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;

/**
 * Code archives in GridFS, addressed by the SHA-256 of their bytes: the same archive is stored
 * once however many functions use it. Pool managers fetch archives from here by digest.
 */
public final class CodeStore implements CodeSource {

    private static final int CHUNK_BYTES = 255 * 1024;

    private final GridFSBucket bucket;

    public CodeStore(MongoDatabase database) {
        this.bucket = GridFSBuckets.create(database, "code");
    }

    /** Stores the archive unless already there; returns its digest. */
    public String put(byte[] zip) {
        String digest = Digests.sha256Hex(zip);
        if (find(digest) == null) {
            bucket.uploadFromStream(digest, new ByteArrayInputStream(zip), new GridFSUploadOptions().chunkSizeBytes(CHUNK_BYTES));
        }
        return digest;
    }

    @Override
    public InputStream open(String digest) throws FileNotFoundException {
        GridFSFile file = find(digest);
        if (file == null) {
            throw new FileNotFoundException("no code archive with digest " + digest);
        }
        return bucket.openDownloadStream(file.getObjectId());
    }

    private GridFSFile find(String digest) {
        return bucket.find(eq("filename", digest)).first();
    }
}
