package io.kardia.store.auth;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a static token file in kube-apiserver's {@code --token-auth-file} format: CSV with at
 * least three columns, {@code token,user,uid}, and an optional fourth of comma-separated groups
 * (quoted when there is more than one): {@code 31ada4fd,alice,1001,"dev,ops"}.
 */
public final class TokenFile {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private TokenFile() {
    }

    /** The file's tokens; an unreadable or malformed file is an {@link IllegalArgumentException} naming it and the line. */
    public static StaticTokens read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return StaticTokens.of(parse(in, file.toString()));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("token file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage(), e);
        }
    }

    static Map<String, UserInfo> parse(Reader in, String name) throws IOException {
        Map<String, UserInfo> tokens = new LinkedHashMap<>();
        MappingIterator<String[]> rows;
        try {
            rows = CSV.readerFor(String[].class).readValues(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("token file " + name + " is not valid CSV", e);
        }
        int record = 0;
        while (true) {
            String[] row;
            try {
                if (!rows.hasNextValue()) {
                    break;
                }
                row = rows.nextValue();
            } catch (IOException | RuntimeException e) {
                // the message may quote the line, and with it a token: name the record only
                throw new IllegalArgumentException("token file " + name + ": record " + (record + 1)
                        + " is not valid CSV", e instanceof IOException ? null : e);
            }
            record++;
            if (row.length < 3) {
                throw new IllegalArgumentException("token file " + name + ": record " + record
                        + " must have at least 3 columns (token, user name, user uid), found " + row.length);
            }
            if (row[0].isEmpty()) {
                LOG.warn("token file {}: record {} has an empty token; it is ignored", name, record);
                continue;
            }
            if (row[1].isEmpty()) {
                throw new IllegalArgumentException("token file " + name + ": record " + record + " has an empty user name");
            }
            List<String> groups = row.length >= 4 && !row[3].isEmpty()
                    ? Arrays.stream(row[3].split(",")).map(String::strip).filter(g -> !g.isEmpty()).toList()
                    : List.of();
            if (tokens.put(row[0], UserInfo.of(row[1], row[2], groups)) != null) {
                LOG.warn("token file {}: record {} repeats an earlier token; the later record wins", name, record);
            }
        }
        return tokens;
    }
}
