package io.sipgw.operations;

import io.sipgw.JaxRsActivator;
import io.sipgw.admin.AdminCallsResource;
import io.sipgw.admin.StatsResource;
import io.sipgw.api.ApiError;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.ErrorCodes;
import io.sipgw.auth.AuthResource;
import io.sipgw.calls.CallsResource;
import io.sipgw.config.SipConfigResource;
import io.sipgw.messaging.MessagesResource;
import io.sipgw.users.UsersResource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASModelReader;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * The OpenAPI document at {@code /openapi}, built from the JAX-RS resources by reflection (Payara's own scan
 * is switched off: it cannot type the generic envelope and writes {@code Instant} as an object).
 * <p>
 * Everything that the code states is read from the code: paths and methods, path and query parameters,
 * the request body (the method's unannotated parameter), the answer (the {@code T} of
 * {@code ApiResponse<T>} inside the envelope), the security requirement ({@code @PermitAll},
 * {@code @RolesAllowed}) and the error codes that follow from it, and every schema (from the records, see
 * {@link JsonSchemas}). What the code cannot state is in standard MicroProfile OpenAPI annotations on the
 * resources ({@code @Operation} summaries, {@code @Parameter} bounds, {@code @RequestBody(required)},
 * {@code @Schema} on record components), plus {@link ErrorCodes} for the errors a method itself raises.
 */
public class ApiDocument implements OASModelReader {

    /** Every JAX-RS resource of the application (a test checks that none is missing). */
    public static final List<Class<?>> RESOURCES = List.of(AuthResource.class, UsersResource.class,
            MessagesResource.class, CallsResource.class, SipConfigResource.class, StatsResource.class,
            AdminCallsResource.class);

    static final String BEARER = "bearerJwt";
    static final String ERROR_ENVELOPE = "ErrorEnvelope";

    private static final String DESCRIPTION = """
            SIP gateway REST API (contract: api-v1.md; choices where it is silent: README, API notes).

            Every answer is the JSON envelope `{success, data, error, message, timestamp}` (null members left out): \
            a success has `success: true`, the operation's `data` where it has one, sometimes a `message`, and \
            `timestamp` (ISO-8601 UTC); an error has `success: false`, `error: {code, message, details}` \
            (`details` maps a field to what is wrong with it) and `timestamp`. Each operation lists the error \
            codes it answers under their HTTP status. Besides those, any request can get `404 NOT_FOUND` \
            (unknown path), `405 METHOD_NOT_ALLOWED` or `415 UNSUPPORTED_MEDIA_TYPE`.

            Authentication: `POST /api/auth/login` returns a token (RS256 JWT); every other operation needs \
            `Authorization: Bearer <token>`. A missing, malformed or logged-out token is `401 INVALID_TOKEN`, \
            an expired one `401 TOKEN_EXPIRED`. Operations for admins only answer `403 FORBIDDEN` to others.

            WebSocket (not an OpenAPI operation): `GET /ws/events?token=<token>` upgrades to a socket of JSON \
            frames `{type, timestamp, data}`. Server events: MESSAGE_RECEIVED, MESSAGE_STATUS_UPDATED, \
            INCOMING_CALL, CALL_STATE_CHANGED, ICE_CANDIDATE_RECEIVED, USER_STATUS_CHANGED. Client frames: \
            PING (answered PONG), ICE_CANDIDATE `{callId, candidate: {candidate, sdpMLineIndex, sdpMid}}`; a \
            bad frame gets an ERROR frame with the error object. A bad or expired token closes the socket at \
            once with code 1008 and the error code as reason. See the extension `x-websocket`.""";

    @Override
    public OpenAPI buildModel() {
        JsonSchemas schemas = new JsonSchemas();
        Paths paths = OASFactory.createPaths();
        Set<String> operationIds = new HashSet<>();
        String root = JaxRsActivator.class.getAnnotation(ApplicationPath.class).value();
        for (Class<?> resource : RESOURCES) {
            requireJson(resource);
            Method[] methods = resource.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null || !Modifier.isPublic(method.getModifiers())) {
                    continue;
                }
                String path = join(root, resource.getAnnotation(Path.class).value(),
                        method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : "");
                Operation operation = operation(resource, method, schemas);
                if (!operationIds.add(operation.getOperationId())) {
                    throw new IllegalStateException("two operations are called " + operation.getOperationId());
                }
                PathItem item = paths.getPathItem(path);
                if (item == null) {
                    item = OASFactory.createPathItem();
                    paths.addPathItem(path, item);
                }
                item.setOperation(PathItem.HttpMethod.valueOf(httpMethod), operation);
            }
        }
        var components = OASFactory.createComponents()
                .addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                        .scheme("bearer").bearerFormat("JWT")
                        .description("The token of POST /api/auth/login: Authorization: Bearer <token>"));
        schemas.register(ERROR_ENVELOPE, errorEnvelope(schemas, null));
        schemas.components().forEach(components::addSchema);
        return OASFactory.createOpenAPI()
                .openapi("3.0.3")
                .info(OASFactory.createInfo().title("sipgw").version("1.0").description(DESCRIPTION))
                .paths(paths)
                .components(components)
                .addExtension("x-websocket", webSocket());
    }

    private static Map<String, Object> webSocket() {
        Map<String, Object> socket = new LinkedHashMap<>();
        socket.put("path", "/ws/events");
        socket.put("query", Map.of("token", "the token of POST /api/auth/login"));
        socket.put("frame", "{type, timestamp, data}");
        socket.put("serverEvents", List.of("MESSAGE_RECEIVED", "MESSAGE_STATUS_UPDATED", "INCOMING_CALL",
                "CALL_STATE_CHANGED", "ICE_CANDIDATE_RECEIVED", "USER_STATUS_CHANGED", "PONG", "ERROR"));
        socket.put("clientFrames", List.of("PING", "ICE_CANDIDATE"));
        socket.put("closeCodes", Map.of("1000", "logout of the socket's token", "1008", "bad or expired token (reason: error code)",
                "1009", "frame over 64 KiB"));
        return socket;
    }

    private static Operation operation(Class<?> resource, Method method, JsonSchemas schemas) {
        var annotation = method.getAnnotation(org.eclipse.microprofile.openapi.annotations.Operation.class);
        String base = resource.getSimpleName().replaceFirst("Resource$", "");
        String id = annotation != null && !annotation.operationId().isEmpty() ? annotation.operationId()
                : Character.toLowerCase(base.charAt(0)) + base.substring(1)
                  + Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
        String packageName = resource.getPackageName();
        Operation operation = OASFactory.createOperation().operationId(id)
                .addTag(packageName.substring(packageName.lastIndexOf('.') + 1));
        if (annotation != null && !annotation.summary().isEmpty()) {
            operation.summary(annotation.summary());
        }
        if (annotation != null && !annotation.description().isEmpty()) {
            operation.description(annotation.description());
        }

        EnumSet<ErrorCode> errors = EnumSet.of(ErrorCode.SERVER_ERROR);
        Type body = null;
        java.lang.reflect.Parameter[] parameters = method.getParameters();
        for (java.lang.reflect.Parameter parameter : parameters) {
            PathParam pathParam = parameter.getAnnotation(PathParam.class);
            QueryParam queryParam = parameter.getAnnotation(QueryParam.class);
            if (pathParam != null || queryParam != null) {
                operation.addParameter(parameter(parameter, pathParam, queryParam, schemas));
            } else if (!parameter.isAnnotationPresent(Context.class)) {
                body = parameter.getParameterizedType();
            }
        }
        if (body != null) {
            String consumes = mediaType(method.getAnnotation(Consumes.class), resource.getAnnotation(Consumes.class));
            RequestBody bodyAnnotation = method.getAnnotation(RequestBody.class);
            var requestBody = OASFactory.createRequestBody()
                    .required(bodyAnnotation == null || bodyAnnotation.required())
                    .content(OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON,
                            OASFactory.createMediaType().schema(schemas.of(body))));
            if (bodyAnnotation != null && !bodyAnnotation.description().isEmpty()) {
                requestBody.description(bodyAnnotation.description());
            }
            operation.requestBody(requestBody);
            errors.add(ErrorCode.VALIDATION_ERROR); // malformed JSON
            if (consumes.equals(MediaType.APPLICATION_JSON)) {
                errors.add(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
            }
        }

        boolean open = method.isAnnotationPresent(PermitAll.class)
                || (resource.isAnnotationPresent(PermitAll.class) && !method.isAnnotationPresent(RolesAllowed.class));
        if (!open) {
            RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                    : resource.getAnnotation(RolesAllowed.class);
            List<String> allowed = roles == null ? List.of() : List.of(roles.value());
            operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
            operation.addExtension("x-roles", allowed);
            errors.add(ErrorCode.INVALID_TOKEN);
            errors.add(ErrorCode.TOKEN_EXPIRED);
            if (!allowed.contains("user")) {
                errors.add(ErrorCode.FORBIDDEN);
            }
        }
        ErrorCodes declared = method.getAnnotation(ErrorCodes.class);
        if (declared != null) {
            errors.addAll(List.of(declared.value()));
        }
        operation.responses(responses(method, errors, schemas));
        return operation;
    }

    private static org.eclipse.microprofile.openapi.models.parameters.Parameter parameter(
            java.lang.reflect.Parameter parameter, PathParam pathParam, QueryParam queryParam, JsonSchemas schemas) {
        Parameter annotation = parameter.getAnnotation(Parameter.class);
        Class<?> implementation = annotation == null ? Void.class : annotation.schema().implementation();
        Schema schema = schemas.of(implementation != Void.class ? implementation : parameter.getParameterizedType());
        if (annotation != null) {
            JsonSchemas.apply(annotation.schema(), schema);
        }
        var result = OASFactory.createParameter()
                .name(pathParam != null ? pathParam.value() : queryParam.value())
                .in(pathParam != null ? org.eclipse.microprofile.openapi.models.parameters.Parameter.In.PATH
                        : org.eclipse.microprofile.openapi.models.parameters.Parameter.In.QUERY)
                .required(pathParam != null || (annotation != null && annotation.required()))
                .schema(schema);
        if (annotation != null && !annotation.description().isEmpty()) {
            result.description(annotation.description());
        }
        return result;
    }

    /** 200 with the envelope around the method's {@code ApiResponse<T>}, then one answer per error status. */
    private static APIResponses responses(Method method, EnumSet<ErrorCode> errors, JsonSchemas schemas) {
        if (!(method.getGenericReturnType() instanceof ParameterizedType returned)
                || returned.getRawType() != ApiResponse.class) {
            throw new IllegalStateException(method + " does not return ApiResponse<T>");
        }
        Type data = returned.getActualTypeArguments()[0];
        String envelope = successEnvelope(data, schemas);
        APIResponses responses = OASFactory.createAPIResponses().addAPIResponse("200", OASFactory.createAPIResponse()
                .description("Success")
                .content(OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON,
                        OASFactory.createMediaType().schema(JsonSchemas.ref(envelope)))));
        Map<Integer, List<ErrorCode>> byStatus = errors.stream()
                .collect(Collectors.groupingBy(ErrorCode::httpStatus, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, codes) -> responses.addAPIResponse(String.valueOf(status), OASFactory.createAPIResponse()
                .description(codes.stream().map(c -> c.name() + " (" + c.defaultMessage() + ")").collect(Collectors.joining(", ")))
                .content(OASFactory.createContent().addMediaType(MediaType.APPLICATION_JSON,
                        OASFactory.createMediaType().schema(errorEnvelope(schemas, codes))))));
        return responses;
    }

    /**
     * The success envelope of a data type, named after it ({@code LoginResponseEnvelope},
     * {@code SessionSummaryListEnvelope}); {@code Void} is {@code MessageEnvelope}: no data, always a message.
     */
    private static String successEnvelope(Type data, JsonSchemas schemas) {
        Schema envelope = OASFactory.createSchema().type(SchemaType.OBJECT)
                .addProperty("success", OASFactory.createSchema().type(SchemaType.BOOLEAN).enumeration(List.of(true)));
        String name;
        if (data == Void.class) {
            name = "MessageEnvelope";
            envelope.addProperty("message", OASFactory.createSchema().type(SchemaType.STRING))
                    .required(List.of("success", "message", "timestamp"));
        } else {
            Schema dataSchema = schemas.of(data);
            name = dataSchema.getRef() != null
                    ? dataSchema.getRef().substring(JsonSchemas.COMPONENTS.length()) + "Envelope"
                    : schemas.of(((ParameterizedType) data).getActualTypeArguments()[0]).getRef()
                      .substring(JsonSchemas.COMPONENTS.length()) + "ListEnvelope";
            envelope.addProperty("data", dataSchema)
                    .addProperty("message", OASFactory.createSchema().type(SchemaType.STRING))
                    .required(List.of("success", "data", "timestamp"));
        }
        envelope.addProperty("timestamp", OASFactory.createSchema().type(SchemaType.STRING).format("date-time"));
        schemas.register(name, envelope);
        return name;
    }

    /** The error envelope; with codes, its {@code error.code} is limited to them. */
    private static Schema errorEnvelope(JsonSchemas schemas, List<ErrorCode> codes) {
        Schema error = schemas.components().get(schemas.named(ApiError.class));
        if (codes != null) {
            Schema code = OASFactory.createSchema().type(SchemaType.STRING)
                    .enumeration(codes.stream().map(c -> (Object) c.name()).toList());
            error = OASFactory.createSchema().type(SchemaType.OBJECT).required(error.getRequired())
                    .properties(new LinkedHashMap<>(error.getProperties()))
                    .addProperty("code", code);
        }
        return OASFactory.createSchema().type(SchemaType.OBJECT)
                .addProperty("success", OASFactory.createSchema().type(SchemaType.BOOLEAN).enumeration(List.of(false)))
                .addProperty("error", codes == null ? JsonSchemas.ref(schemas.named(ApiError.class)) : error)
                .addProperty("timestamp", OASFactory.createSchema().type(SchemaType.STRING).format("date-time"))
                .required(List.of("success", "error", "timestamp"));
    }

    private static String httpMethod(Method method) {
        return Stream.of(method.getAnnotations()).map(Annotation::annotationType)
                .map(t -> t.getAnnotation(HttpMethod.class)).filter(h -> h != null).map(HttpMethod::value)
                .findFirst().orElse(null);
    }

    private static String mediaType(Consumes onMethod, Consumes onClass) {
        Consumes consumes = onMethod != null ? onMethod : onClass;
        return consumes == null ? MediaType.WILDCARD : consumes.value()[0];
    }

    /** {@code /api/users/{userId}} from the application, resource and method paths. */
    static String join(String... parts) {
        return "/" + Stream.of(parts).map(p -> p.replaceAll("^/+|/+$", "")).filter(p -> !p.isEmpty())
                .collect(Collectors.joining("/"));
    }

    /** Every answer is described as JSON: a resource producing something else must fail loudly, not be described wrongly. */
    private static void requireJson(Class<?> resource) {
        Produces produces = resource.getAnnotation(Produces.class);
        if (produces != null && !Arrays.asList(produces.value()).contains(MediaType.APPLICATION_JSON)) {
            throw new IllegalStateException(resource + " does not produce JSON");
        }
    }
}
