package dev.spor.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds every field of a JSON tree that the config records do not declare, with its path, by
 * walking the tree alongside the record types (so one run names all of them).
 */
final class UnknownFields {
    private UnknownFields() {
    }

    static void collect(JsonNode node, Class<?> type, String path, List<ConfigError> errors) {
        if (!type.isRecord() || node == null || !node.isObject()) {
            return;
        }
        RecordComponent[] components = type.getRecordComponents();
        Set<String> known = Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toSet());
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new ConfigError(join(path, name), "unknown field"));
            }
        }
        for (RecordComponent component : components) {
            JsonNode child = node.get(component.getName());
            String at = join(path, component.getName());
            Type generic = component.getGenericType();
            if (generic instanceof ParameterizedType list && component.getType() == List.class && child != null
                    && child.isArray() && list.getActualTypeArguments()[0] instanceof Class<?> element) {
                for (int i = 0; i < child.size(); i++) {
                    collect(child.get(i), element, at + "[" + i + "]", errors);
                }
            } else if (generic instanceof ParameterizedType map && component.getType() == Map.class && child != null
                    && child.isObject() && map.getActualTypeArguments()[1] instanceof Class<?> value) {
                for (Iterator<Map.Entry<String, JsonNode>> entries = child.fields(); entries.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    collect(entry.getValue(), value, at + "." + entry.getKey(), errors);
                }
            } else {
                collect(child, component.getType(), at, errors);
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
