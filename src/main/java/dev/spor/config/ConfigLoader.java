package dev.spor.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a configuration file into a validated {@link ConfigSnapshot}. Unknown fields are
 * errors; every problem found (unknown fields and semantic checks) is reported at once, each
 * with its JSON path; a type mismatch stops parsing at that field. Thread-safe.
 */
public final class ConfigLoader {
    /** The built-in demo configuration, on the classpath. */
    public static final String DEMO_RESOURCE = "dev/spor/config/demo-config.json";
    private static final long MAX_BYTES = 4L * 1024 * 1024;

    private ConfigLoader() {
    }

    /** Loads and validates a file. */
    public static ConfigSnapshot load(Path file) throws ConfigException {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(source, List.of(new ConfigError("", "is larger than 4 MiB")));
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, List.of(new ConfigError("", "file not found")));
        } catch (IOException e) {
            throw new ConfigException(source, List.of(new ConfigError("", "cannot be read: " + e.getMessage())));
        }
        return parse(source, bytes);
    }

    /** Loads and validates the built-in demo configuration. */
    public static ConfigSnapshot loadDemo() throws ConfigException {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new ConfigException(DEMO_RESOURCE, List.of(new ConfigError("", "missing from the build")));
            }
            return parse("(built-in demo config)", in.readAllBytes());
        } catch (IOException e) {
            throw new ConfigException(DEMO_RESOURCE, List.of(new ConfigError("", e.getMessage())));
        }
    }

    /**
     * Parses and validates configuration text.
     *
     * @param source names the text in error messages (usually the file path)
     */
    public static ConfigSnapshot parse(String source, byte[] json) throws ConfigException {
        ObjectMapper mapper = mapper();
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source, List.of(syntaxError(e)));
        } catch (IOException e) {
            throw new ConfigException(source, List.of(new ConfigError("", firstLine(e.getMessage()))));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(source, List.of(new ConfigError("", "is empty: expected a JSON object with \"sites\"")));
        }
        List<ConfigError> errors = new ArrayList<>();
        UnknownFields.collect(tree, SporConfig.class, "", errors);
        SporConfig config;
        try {
            config = mapper.treeToValue(tree, SporConfig.class);
        } catch (MismatchedInputException e) {
            errors.add(new ConfigError(path(e.getPath()), mismatch(e)));
            throw new ConfigException(source, errors);
        } catch (JsonProcessingException e) {
            errors.add(new ConfigError(path(e instanceof JsonMappingException m ? m.getPath() : List.of()),
                    firstLine(e.getOriginalMessage())));
            throw new ConfigException(source, errors);
        }
        errors.addAll(ConfigValidator.validate(config));
        if (!errors.isEmpty()) {
            throw new ConfigException(source, errors);
        }
        return new ConfigSnapshot(source, config);
    }

    private static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // collected by UnknownFields
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
    }

    private static ConfigError syntaxError(JsonProcessingException e) {
        String message = firstLine(e.getOriginalMessage());
        if (message.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
            return new ConfigError(path(parser.getParsingContext()), "is given twice");
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return new ConfigError("", where + message);
    }

    /** The JSON path of the parser's position, such as {@code sites[0].hosts}. */
    private static String path(JsonStreamContext context) {
        StringBuilder text = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                text.insert(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                text.insert(0, "." + c.getCurrentName());
            }
        }
        return text.length() > 0 && text.charAt(0) == '.' ? text.substring(1) : text.toString();
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder text = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getIndex() >= 0) {
                text.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (text.length() > 0) {
                    text.append('.');
                }
                text.append(ref.getFieldName());
            }
        }
        return text.toString();
    }

    private static String mismatch(MismatchedInputException e) {
        Class<?> type = e.getTargetType();
        String expected;
        if (type == null) {
            return firstLine(e.getOriginalMessage());
        } else if (List.class.isAssignableFrom(type)) {
            expected = "a list";
        } else if (type == String.class) {
            expected = "a string";
        } else if (type == Integer.class || type == int.class || type == Long.class) {
            expected = "a whole number";
        } else if (type == Boolean.class || type == boolean.class) {
            expected = "true or false";
        } else if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            expected = "an object";
        } else {
            expected = "a " + type.getSimpleName();
        }
        return "expected " + expected;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
