package io.sipgw.operations;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

/**
 * JSON schemas of the wire records, read from the records themselves the way JSON-B writes them: the
 * components in {@link JsonbPropertyOrder} order, {@code Instant} as an ISO-8601 string, lists as arrays,
 * maps as objects, nested records as named component schemas.
 * <p>
 * A property is {@code required} when the server always writes it: a primitive, or any component of a
 * {@link JsonbNillable} record (JSON-B leaves other nulls out), or one whose
 * {@link org.eclipse.microprofile.openapi.annotations.media.Schema @Schema} says {@code required} (request
 * fields the server insists on). A component marked {@code @JsonbNillable} is {@code nullable}; so is one whose
 * {@code @Schema} says so. {@code @Schema}'s implementation (an enum for a {@code String} the server fills
 * from one), description, enumeration, length and range bounds, default and example are used as they are.
 */
final class JsonSchemas {

    static final String COMPONENTS = "#/components/schemas/";

    private final Map<String, Schema> components = new TreeMap<>();
    private final Map<String, Class<?>> owners = new HashMap<>();

    /** The named schemas met so far (records and envelopes). */
    Map<String, Schema> components() {
        return components;
    }

    /** The schema of a Java type; records become references to named components. */
    Schema of(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] arguments = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                return OASFactory.createSchema().type(SchemaType.ARRAY).items(of(arguments[0]));
            }
            if (Map.class.isAssignableFrom(raw) && arguments[0] == String.class) {
                return OASFactory.createSchema().type(SchemaType.OBJECT).additionalPropertiesSchema(of(arguments[1]));
            }
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException("no JSON schema for " + type);
        }
        if (c == String.class) {
            return OASFactory.createSchema().type(SchemaType.STRING);
        }
        if (c == boolean.class || c == Boolean.class) {
            return OASFactory.createSchema().type(SchemaType.BOOLEAN);
        }
        if (c == int.class || c == Integer.class || c == short.class || c == Short.class) {
            return OASFactory.createSchema().type(SchemaType.INTEGER).format("int32");
        }
        if (c == long.class || c == Long.class) {
            return OASFactory.createSchema().type(SchemaType.INTEGER).format("int64");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return OASFactory.createSchema().type(SchemaType.NUMBER);
        }
        if (c == Instant.class) {
            return OASFactory.createSchema().type(SchemaType.STRING).format("date-time");
        }
        if (c.isEnum()) {
            return OASFactory.createSchema().type(SchemaType.STRING)
                    .enumeration(Arrays.stream(c.getEnumConstants()).map(e -> (Object) ((Enum<?>) e).name()).toList());
        }
        if (c.isRecord()) {
            return ref(named(c));
        }
        throw new IllegalArgumentException("no JSON schema for " + c.getName());
    }

    static Schema ref(String name) {
        return OASFactory.createSchema().ref(COMPONENTS + name);
    }

    /** Registers a schema under a name of its own (envelopes); the name must be new or hold the same schema. */
    void register(String name, Schema schema) {
        if (owners.containsKey(name)) {
            throw new IllegalStateException("schema name " + name + " is taken by " + owners.get(name));
        }
        components.putIfAbsent(name, schema);
    }

    /** The component name of a record, describing it on first use. */
    String named(Class<?> record) {
        String name = nameOf(record);
        Class<?> known = owners.putIfAbsent(name, record);
        if (known != null && known != record) {
            throw new IllegalStateException("two records have the schema name " + name + ": " + known.getName()
                    + " and " + record.getName() + "; give one a @Schema(name = ...)");
        }
        if (known == null) {
            Schema schema = OASFactory.createSchema().type(SchemaType.OBJECT);
            components.put(name, schema); // before the components, so that a record may refer to itself
            describe(record, schema);
        }
        return name;
    }

    /** {@code @Schema(name)} on the record, else its simple name prefixed by its enclosing class's. */
    static String nameOf(Class<?> record) {
        var annotation = record.getAnnotation(org.eclipse.microprofile.openapi.annotations.media.Schema.class);
        if (annotation != null && !annotation.name().isEmpty()) {
            return annotation.name();
        }
        Class<?> outer = record.getEnclosingClass();
        return outer == null ? record.getSimpleName() : outer.getSimpleName() + record.getSimpleName();
    }

    private void describe(Class<?> record, Schema schema) {
        var typeAnnotation = record.getAnnotation(org.eclipse.microprofile.openapi.annotations.media.Schema.class);
        if (typeAnnotation != null && !typeAnnotation.description().isEmpty()) {
            schema.description(typeAnnotation.description());
        }
        boolean nillable = record.isAnnotationPresent(JsonbNillable.class);
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            byName.put(component.getName(), component);
        }
        List<String> order = new ArrayList<>();
        JsonbPropertyOrder declared = record.getAnnotation(JsonbPropertyOrder.class);
        if (declared != null) {
            order.addAll(Arrays.asList(declared.value()));
        }
        byName.keySet().stream().filter(n -> !order.contains(n)).forEach(order::add);
        List<String> required = new ArrayList<>();
        for (String name : order) {
            RecordComponent component = byName.get(name);
            if (component == null) {
                throw new IllegalStateException(record.getName() + " orders a property it lacks: " + name);
            }
            Field field = field(record, name);
            boolean componentNillable = field.isAnnotationPresent(JsonbNillable.class)
                    || component.getAccessor().isAnnotationPresent(JsonbNillable.class);
            var annotation = annotation(field, component);
            Schema property = annotation != null && annotation.implementation() != Void.class
                    ? of(annotation.implementation()) : of(component.getGenericType());
            if (componentNillable || (annotation != null && annotation.nullable())) {
                property.nullable(true);
            }
            if (annotation != null) {
                apply(annotation, property);
            }
            schema.addProperty(name, property);
            if (component.getType().isPrimitive() || nillable || componentNillable
                    || (annotation != null && annotation.required())) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.required(required);
        }
    }

    private static Field field(Class<?> record, String name) {
        try {
            return record.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    private static org.eclipse.microprofile.openapi.annotations.media.Schema annotation(AnnotatedElement... places) {
        for (AnnotatedElement place : places) {
            var found = place.getAnnotation(org.eclipse.microprofile.openapi.annotations.media.Schema.class);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Copies the constraints and words of a {@code @Schema} annotation onto a schema. */
    static Schema apply(org.eclipse.microprofile.openapi.annotations.media.Schema annotation, Schema schema) {
        if (annotation.type() != org.eclipse.microprofile.openapi.annotations.enums.SchemaType.DEFAULT) {
            schema.type(SchemaType.valueOf(annotation.type().name()));
            schema.format(null);
        }
        if (!annotation.format().isEmpty()) {
            schema.format(annotation.format());
        }
        if (!annotation.description().isEmpty()) {
            schema.description(annotation.description());
        }
        if (annotation.enumeration().length > 0) {
            schema.enumeration(List.of((Object[]) annotation.enumeration()));
        }
        if (annotation.minLength() > 0) {
            schema.minLength(annotation.minLength());
        }
        if (annotation.maxLength() != Integer.MAX_VALUE) {
            schema.maxLength(annotation.maxLength());
        }
        if (!annotation.minimum().isEmpty()) {
            schema.minimum(new BigDecimal(annotation.minimum()));
        }
        if (!annotation.maximum().isEmpty()) {
            schema.maximum(new BigDecimal(annotation.maximum()));
        }
        if (!annotation.pattern().isEmpty()) {
            schema.pattern(annotation.pattern());
        }
        if (!annotation.defaultValue().isEmpty()) {
            schema.defaultValue(typed(schema, annotation.defaultValue()));
        }
        if (!annotation.example().isEmpty()) {
            schema.example(typed(schema, annotation.example()));
        }
        if (annotation.nullable()) {
            schema.nullable(true);
        }
        return schema;
    }

    private static Object typed(Schema schema, String value) {
        if (schema.getType() == SchemaType.INTEGER) {
            return Long.valueOf(value);
        }
        if (schema.getType() == SchemaType.BOOLEAN) {
            return Boolean.valueOf(value);
        }
        return value;
    }
}
