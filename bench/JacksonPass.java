import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Baseline (b): a bare single-threaded Jackson streaming pass over a trail: gunzip, parse, skip
 * unneeded children, read four fields of every record. Prints "records seconds".
 */
public class JacksonPass {
    public static void main(String[] args) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            files = s.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
        }
        JsonFactory f = new JsonFactory();
        long t0 = System.nanoTime();
        long records = 0;
        long sm = 0;
        for (Path file : files) {
            try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 65536), 65536);
                 JsonParser p = f.createParser(in)) {
                p.nextToken(); // {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    if (!p.currentName().equals("Records")) {
                        p.nextToken();
                        p.skipChildren();
                        continue;
                    }
                    p.nextToken(); // [
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        records++;
                        String id = null, source = null, name = null, time = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String field = p.currentName();
                            JsonToken v = p.nextToken();
                            switch (field) {
                                case "eventID" -> id = p.getText();
                                case "eventSource" -> source = p.getText();
                                case "eventName" -> name = p.getText();
                                case "eventTime" -> time = p.getText();
                                default -> p.skipChildren();
                            }
                        }
                        if ("secretsmanager.amazonaws.com".equals(source) && id != null && name != null && time != null) {
                            sm++;
                        }
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "%d %.3f %d%n", records, secs, sm);
    }
}
