package io.sipgw.operations;

import io.sipgw.api.ErrorCode;
import io.sipgw.calls.CallDirection;
import io.sipgw.calls.CallState;
import io.sipgw.messaging.MessageStatus;
import io.sipgw.users.UserStatus;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Puts the spec's envelope around what Payara's MicroProfile OpenAPI scan found (mp.openapi.filter).
 * <p>
 * The resources say with standard annotations what only they know: {@code @APIResponseSchema(T.class)} for the
 * {@code T} of {@code ApiResponse<T>} (none for {@code ApiResponse<Void>}), {@code @SecurityRequirement} where a
 * token is needed, and one {@code @APIResponse(responseCode, description = "CODE, CODE")} per error status with
 * the {@link ErrorCode} names the method raises itself. This filter turns that into the envelopes the server
 * writes: the 200 answer becomes {@code TEnvelope} ({@code TListEnvelope} for a list, {@code MessageEnvelope}
 * without data), each error status the error envelope with its codes as an enum, adding the codes that follow
 * from the operation itself (a token error where a token is needed, VALIDATION_ERROR and UNSUPPORTED_MEDIA_TYPE
 * for a JSON body, SERVER_ERROR for anything). It also makes the scan's operationIds (method names) unique by
 * prefixing the operation's tag.
 */
public class ApiEnvelopes implements OASFilter {

    private static final String COMPONENTS = "#/components/schemas/";

    /**
     * Enums whose names String fields carry ({@code @Schema(ref = "UserStatus")}): the scan ignores
     * {@code @Schema(implementation = AnEnum.class)} on a field and does not describe enum classes.
     */
    private static final List<Class<? extends Enum<?>>> ENUMS = List.of(UserStatus.class, MessageStatus.class,
            CallState.class, CallDirection.class);

    @Override
    public void filterOpenAPI(OpenAPI api) {
        var components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        api.setComponents(components);
        Map<String, Schema> envelopes = new TreeMap<>();
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (operation.getTags() != null && !operation.getTags().isEmpty()) {
                String id = operation.getOperationId();
                operation.setOperationId(operation.getTags().get(0) + Character.toUpperCase(id.charAt(0)) + id.substring(1));
            }
            describe(operation, components.getSchemas(), envelopes);
        }));
        if (api.getExtensions() != null) { // Payara ignores @Extension(parseValue = true) and keeps the JSON as text
            try (Jsonb jsonb = JsonbBuilder.create()) {
                for (var extension : Map.copyOf(api.getExtensions()).entrySet()) {
                    if (extension.getValue() instanceof String text && text.startsWith("{")) {
                        api.addExtension(extension.getKey(), jsonb.fromJson(text, Object.class));
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        components.removeSchema("ApiResponse"); // the scan's untyped view of the envelope, used by no operation now
        envelopes.forEach(components::addSchema);
        for (Class<? extends Enum<?>> type : ENUMS) {
            components.addSchema(type.getSimpleName(), OASFactory.createSchema().type(SchemaType.STRING)
                    .enumeration(Stream.of(type.getEnumConstants()).map(c -> (Object) c.name()).toList()));
        }
    }

    private static void describe(Operation operation, Map<String, Schema> components, Map<String, Schema> envelopes) {
        APIResponses responses = operation.getResponses();
        APIResponse ok = responses.getAPIResponse("200");
        responses.removeAPIResponse("default"); // what the scan writes for a method without @APIResponse
        Schema data = ok == null || ok.getContent() == null ? null : named(anyMediaType(ok.getContent()).getSchema(), components);
        String envelope = successEnvelope(data, envelopes);
        responses.addAPIResponse("200", OASFactory.createAPIResponse().description("Success").content(json(ref(envelope))));

        EnumSet<ErrorCode> errors = EnumSet.of(ErrorCode.SERVER_ERROR);
        responses.getAPIResponses().forEach((status, response) -> {
            if (!status.equals("200")) {
                errors.addAll(codes(operation, status, response.getDescription()));
            }
        });
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            errors.add(ErrorCode.INVALID_TOKEN);
            errors.add(ErrorCode.TOKEN_EXPIRED);
        }
        var body = operation.getRequestBody();
        if (body != null && body.getContent() != null) {
            errors.add(ErrorCode.VALIDATION_ERROR); // malformed JSON, nested too deep
            errors.add(ErrorCode.PAYLOAD_TOO_LARGE);
            if (body.getContent().hasMediaType(MediaType.APPLICATION_JSON)) {
                errors.add(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
            } else {
                body.setContent(json(anyMediaType(body.getContent()).getSchema())); // @Consumes(*/*): still a JSON body
            }
        }
        errors.stream().collect(Collectors.groupingBy(ErrorCode::httpStatus, TreeMap::new, Collectors.toList()))
                .forEach((status, codes) -> responses.addAPIResponse(String.valueOf(status), OASFactory.createAPIResponse()
                        .description(codes.stream().map(c -> c.name() + " (" + c.defaultMessage() + ")")
                                .collect(Collectors.joining(", ")))
                        .content(json(errorEnvelope(codes)))));
    }

    /**
     * The scan writes {@code @APIResponseSchema(Record.class)} out in full instead of referring to the record's
     * component, and a list of records as an array with the record's properties: refer to the component instead.
     */
    private static Schema named(Schema inline, Map<String, Schema> components) {
        if (inline == null || inline.getRef() != null) {
            return inline;
        }
        List<String> matches = components.entrySet().stream()
                .filter(c -> inline.getProperties() != null && inline.getProperties().equals(c.getValue().getProperties()))
                .map(Map.Entry::getKey).toList();
        if (matches.size() != 1) {
            throw new IllegalStateException("the components " + matches + " describe the answer " + inline
                    + "; give its record a @Schema(name) of its own");
        }
        return inline.getType() == SchemaType.ARRAY ? OASFactory.createSchema().type(SchemaType.ARRAY).items(ref(matches.get(0)))
                : ref(matches.get(0));
    }

    /** The codes an {@code @APIResponse} names in its description, each of which must answer with that status. */
    private static List<ErrorCode> codes(Operation operation, String status, String description) {
        List<ErrorCode> codes = new ArrayList<>();
        for (String name : (description == null ? "" : description).split("[,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            ErrorCode code = ErrorCode.valueOf(name);
            if (!String.valueOf(code.httpStatus()).equals(status)) {
                throw new IllegalStateException(operation.getOperationId() + ": " + code + " is not HTTP " + status);
            }
            codes.add(code);
        }
        return codes;
    }

    /**
     * The success envelope of a data schema, named after it ({@code LoginResponseEnvelope},
     * {@code SessionSummaryListEnvelope}); without data it is {@code MessageEnvelope}, which always has a message.
     */
    private static String successEnvelope(Schema data, Map<String, Schema> envelopes) {
        Schema envelope = OASFactory.createSchema().type(SchemaType.OBJECT)
                .addProperty("success", OASFactory.createSchema().type(SchemaType.BOOLEAN).enumeration(List.of(true)));
        String name;
        if (data == null) {
            name = "MessageEnvelope";
            envelope.addProperty("message", OASFactory.createSchema().type(SchemaType.STRING))
                    .required(List.of("success", "message", "timestamp"));
        } else {
            name = data.getRef() != null ? componentName(data) + "Envelope" : componentName(data.getItems()) + "ListEnvelope";
            envelope.addProperty("data", data)
                    .addProperty("message", OASFactory.createSchema().type(SchemaType.STRING))
                    .required(List.of("success", "data", "timestamp"));
        }
        envelope.addProperty("timestamp", OASFactory.createSchema().type(SchemaType.STRING).format("date-time"));
        envelopes.put(name, envelope);
        return name;
    }

    /** The error envelope with {@code error.code} limited to the given codes. */
    private static Schema errorEnvelope(List<ErrorCode> codes) {
        Schema error = OASFactory.createSchema().type(SchemaType.OBJECT)
                .addProperty("code", OASFactory.createSchema().type(SchemaType.STRING)
                        .enumeration(codes.stream().map(c -> (Object) c.name()).toList()))
                .addProperty("message", OASFactory.createSchema().type(SchemaType.STRING))
                .addProperty("details", OASFactory.createSchema().type(SchemaType.OBJECT)
                        .description("what is wrong with each field at fault")
                        .additionalPropertiesSchema(OASFactory.createSchema().type(SchemaType.STRING)))
                .required(List.of("code", "message"));
        return OASFactory.createSchema().type(SchemaType.OBJECT)
                .addProperty("success", OASFactory.createSchema().type(SchemaType.BOOLEAN).enumeration(List.of(false)))
                .addProperty("error", error)
                .addProperty("timestamp", OASFactory.createSchema().type(SchemaType.STRING).format("date-time"))
                .required(List.of("success", "error", "timestamp"));
    }

    /** A path parameter is always required (OpenAPI 3.0); the scan writes {@code @Parameter}'s default, false. */
    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.PATH) {
            parameter.setRequired(true);
        }
        return parameter;
    }

    /**
     * Types the default of an integer or boolean, and leaves out what the scan writes for every schema with its default value
     * ({@code maxProperties: 0} would even forbid every property).
     */
    @Override
    public Schema filterSchema(Schema schema) {
        if (schema.getDefaultValue() instanceof String value) { // the scan writes @Schema(defaultValue = "20") as "20"
            if (schema.getType() == SchemaType.INTEGER) {
                schema.setDefaultValue(Long.valueOf(value));
            } else if (schema.getType() == SchemaType.BOOLEAN) {
                schema.setDefaultValue(Boolean.valueOf(value));
            }
        }
        if (Integer.valueOf(0).equals(schema.getMaxProperties())) {
            schema.setMaxProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinProperties())) {
            schema.setMinProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinLength())) {
            schema.setMinLength(null);
        }
        if (Boolean.FALSE.equals(schema.getNullable())) {
            schema.setNullable(null);
        }
        if (Boolean.FALSE.equals(schema.getUniqueItems())) {
            schema.setUniqueItems(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMinimum())) {
            schema.setExclusiveMinimum(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMaximum())) {
            schema.setExclusiveMaximum(null);
        }
        if (Boolean.FALSE.equals(schema.getReadOnly())) {
            schema.setReadOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getWriteOnly())) {
            schema.setWriteOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getDeprecated())) {
            schema.setDeprecated(null);
        }
        return schema;
    }

    private static String componentName(Schema schema) {
        if (schema == null || schema.getRef() == null || !schema.getRef().startsWith(COMPONENTS)) {
            throw new IllegalStateException("an @APIResponseSchema must name a record, or a list of records: " + schema);
        }
        return schema.getRef().substring(COMPONENTS.length());
    }

    private static org.eclipse.microprofile.openapi.models.media.MediaType anyMediaType(Content content) {
        return content.getMediaTypes().values().iterator().next();
    }

    private static Content json(Schema schema) {
        return OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON, OASFactory.createMediaType().schema(schema));
    }

    private static Schema ref(String name) {
        return OASFactory.createSchema().ref(COMPONENTS + name);
    }
}
