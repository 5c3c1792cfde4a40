package io.rollingmigration.connect.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollingmigration.connect.common.ownership.Owner;
import io.rollingmigration.readshift.InvalidPlan;
import io.rollingmigration.readshift.ReadMode;
import io.rollingmigration.readshift.ReadPlan;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's REST resources beside the worker's own: the status, the page, the history behind its charts,
 * the exit criteria, the audit trail, and the two changes an operator asks for (who owns a partition's writes,
 * where its reads go). Behind whatever authentication the worker's other REST extensions set up, since they filter
 * every request of the same server.
 */
@Path("/migration")
public final class MigrationResource {

    private static final Logger log = LoggerFactory.getLogger(MigrationResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 1000;
    private static final int MAX_PARTITION = 255;

    private final DashboardConfig config;
    private final MigrationState state;
    private final GuardRails guards;
    private final History history;
    private final ExitCriteria exits;
    private final LongSupplier clock;

    MigrationResource(
            DashboardConfig config,
            MigrationState state,
            GuardRails guards,
            History history,
            ExitCriteria exits,
            LongSupplier clock) {
        this.config = config;
        this.state = state;
        this.guards = guards;
        this.history = history;
        this.exits = exits;
        this.clock = clock;
    }

    @GET
    @Path("/status")
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        return json(Response.Status.OK, state.status(clock.getAsLong()));
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return Response.ok(DashboardPage.html(), MediaType.TEXT_HTML + ";charset=utf-8")
                .build();
    }

    @GET
    @Path("/history")
    @Produces(MediaType.APPLICATION_JSON)
    public Response history() {
        return json(Response.Status.OK, history.json());
    }

    @GET
    @Path("/exit-criteria")
    @Produces(MediaType.APPLICATION_JSON)
    public Response exitCriteria() {
        return json(Response.Status.OK, exits.evaluate(clock.getAsLong()));
    }

    @GET
    @Path("/audit/{unit}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response audit(@PathParam("unit") String unit, @QueryParam("limit") Integer limit) {
        ControlStore store = state.storeOf(unit);
        if (store == null) {
            return error(Response.Status.NOT_FOUND, "unit", unknownUnit(unit));
        }
        try {
            ObjectNode body = JSON.createObjectNode();
            body.put("unit", unit);
            var rows = body.putArray("entries");
            for (AuditTrail.Entry entry : store.audit(unit, limit == null ? 100 : Math.max(1, Math.min(limit, 1000)))) {
                ObjectNode row = rows.addObject();
                row.put("audit_id", entry.id());
                row.put("at_ms", entry.atMillis());
                row.put("principal", entry.principal());
                row.put("action", entry.action().name());
                row.put("partition", entry.partition());
                row.put("change_to", entry.changeTo());
                row.put("previous", entry.previous());
                row.put("reason", entry.reason());
                row.put("outcome", entry.outcome().name());
                if (entry.guardRails() != null) {
                    row.put("guard_rails", entry.guardRails());
                }
                if (entry.moveId() != null) {
                    row.put("move_id", entry.moveId());
                }
            }
            return json(Response.Status.OK, body);
        } catch (SQLException | RuntimeException e) {
            return unavailable(store, e);
        }
    }

    @PUT
    @Path("/ownership/{unit}/{partition}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response moveOwnership(
            @PathParam("unit") String unit,
            @PathParam("partition") String partition,
            String body,
            @Context SecurityContext security) {
        Request request = Request.read(body);
        Response refused = refuseUnlessValid(unit, partition, request);
        if (refused != null) {
            return refused;
        }
        Owner to;
        try {
            to = Owner.valueOf(request.text("owner").trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "owner",
                    "owner must be LEGACY or TARGET, not " + request.quoted("owner"));
        }
        long now = clock.getAsLong();
        Asked asked = new Asked(AuditTrail.Action.OWNERSHIP, unit, partition, to.name(), principal(security), request);
        return decide(
                asked,
                guards.ownershipMove(state.unit(unit, now), to, now),
                now,
                (store, outcome, forcedPast) -> store.moveOwnership(
                        unit, partition, to, asked.principal(), request.reason(), outcome, forcedPast, now),
                (written, answer) -> {
                    log.info(
                            "{} asked for {}/{} to move to {} ({}{}): {}",
                            asked.principal(),
                            unit,
                            partition,
                            to,
                            answer.path("outcome").asText(),
                            written.moveId() == null ? "" : ", move " + written.moveId(),
                            request.reason());
                    answer.put("to_owner", to.name());
                    answer.put("previous_owner", written.previous());
                    if (written.moveId() != null) {
                        answer.put("move_id", written.moveId());
                        answer.put("status", "REQUESTED");
                        answer.put(
                                "next",
                                "the " + (to == Owner.TARGET ? "forward lane" : "write-back lane")
                                        + " carries the move out once it has caught up, within its "
                                        + "ownership.refresh.ms; GET /migration/status shows it in ownership.moves");
                        return Response.Status.ACCEPTED;
                    }
                    answer.put("status", "DONE");
                    return Response.Status.OK;
                });
    }

    @PUT
    @Path("/read-routing/{unit}/{partition}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response route(
            @PathParam("unit") String unit,
            @PathParam("partition") String partition,
            String body,
            @Context SecurityContext security) {
        Request request = Request.read(body);
        Response refused = refuseUnlessValid(unit, partition, request);
        if (refused != null) {
            return refused;
        }
        ReadPlan plan;
        try {
            ReadMode mode = ReadMode.parse(request.text("mode"));
            JsonNode percent = request.body().path("canary_percent");
            if (mode == ReadMode.CANARY && !percent.isNumber()) {
                return error(
                        Response.Status.BAD_REQUEST,
                        "canary_percent",
                        "a CANARY needs canary_percent, the share of keys the service answers (0-100)");
            }
            if (mode != ReadMode.CANARY && !percent.isMissingNode() && !percent.isNull()) {
                return error(Response.Status.BAD_REQUEST, "canary_percent", "canary_percent is for CANARY only");
            }
            plan = new ReadPlan(mode, mode == ReadMode.CANARY ? percent.asDouble() : 0);
        } catch (InvalidPlan e) {
            return error(
                    Response.Status.BAD_REQUEST, e.column().equals("read_mode") ? "mode" : e.column(), e.getMessage());
        } catch (RuntimeException e) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "mode",
                    "mode must be LEGACY, SHADOW, CANARY or TARGET, not " + request.quoted("mode"));
        }
        long now = clock.getAsLong();
        ReadPlan routed = plan;
        Asked asked = new Asked(
                AuditTrail.Action.READ_ROUTING,
                unit,
                partition,
                ControlStore.describe(plan),
                principal(security),
                request);
        return decide(
                asked,
                guards.readRouting(state.unit(unit, now), plan.mode(), now),
                now,
                (store, outcome, forcedPast) -> store.route(
                        unit, partition, routed, asked.principal(), request.reason(), outcome, forcedPast, now),
                (written, answer) -> {
                    log.info(
                            "{} routed the reads of {}/{} to {} ({}): {}",
                            asked.principal(),
                            unit,
                            partition,
                            asked.changeTo(),
                            answer.path("outcome").asText(),
                            request.reason());
                    answer.put("plan", asked.changeTo());
                    answer.put("previous", written.previous());
                    answer.put("next", "the facades follow the plan within their refresh interval");
                    return Response.Status.OK;
                });
    }

    /** A valid change asked through the dashboard, and by whom. */
    private record Asked(
            AuditTrail.Action action,
            String unit,
            String partition,
            String changeTo,
            String principal,
            Request request) {}

    /** Writes a change to the store, with how it was decided and the guard rails it was forced past, if any. */
    private interface Write {
        ControlStore.Written to(ControlStore store, AuditTrail.Outcome outcome, String forcedPast) throws SQLException;
    }

    /** Completes the answer to a written change; returns its status. */
    private interface Answer {
        Response.Status complete(ControlStore.Written written, ObjectNode answer);
    }

    /**
     * What every change goes through once valid: refused (and recorded so) while a guard rail fails unless forced,
     * else written with its outcome, ACCEPTED or FORCED.
     */
    private Response decide(Asked asked, List<String> failures, long now, Write write, Answer complete) {
        ControlStore store = state.storeOf(asked.unit());
        Request request = asked.request();
        String guardRails = failures.isEmpty() ? null : String.join("; ", failures);
        try {
            if (guardRails != null && !request.force()) {
                store.refused(
                        asked.action(),
                        asked.unit(),
                        asked.partition(),
                        asked.changeTo(),
                        asked.principal(),
                        request.reason(),
                        guardRails,
                        now);
                return guardRailsRefused(failures);
            }
            AuditTrail.Outcome outcome = guardRails == null ? AuditTrail.Outcome.ACCEPTED : AuditTrail.Outcome.FORCED;
            ControlStore.Written written = write.to(store, outcome, guardRails);
            ObjectNode answer = JSON.createObjectNode();
            answer.put("unit", asked.unit());
            answer.put("partition", asked.partition());
            answer.put("outcome", outcome.name());
            answer.put("principal", asked.principal());
            if (guardRails != null) {
                answer.set("forced_past", JSON.valueToTree(failures));
            }
            Response.Status status = complete.complete(written, answer);
            return json(status, answer);
        } catch (SQLException | RuntimeException e) {
            return unavailable(store, e);
        }
    }

    /** The checks every change shares: writable, a unit with a store, a partition, a reason, a JSON object. */
    private Response refuseUnlessValid(String unit, String partition, Request request) {
        if (config.readOnly()) {
            return error(
                    Response.Status.FORBIDDEN,
                    null,
                    "this dashboard is read-only (migration.dashboard.read.only=true): nothing was changed");
        }
        if (request.problem() != null) {
            return error(Response.Status.BAD_REQUEST, "body", request.problem());
        }
        if (state.storeOf(unit) == null) {
            return error(Response.Status.BAD_REQUEST, "unit", unknownUnit(unit));
        }
        if (partition == null || partition.isBlank() || partition.length() > MAX_PARTITION) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "partition",
                    "the partition is a value of the unit's ownership field, 1 to " + MAX_PARTITION
                            + " characters, or * for every partition without a row of its own");
        }
        String reason = request.reason();
        if (reason == null || reason.isBlank()) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "reason",
                    "a reason is required: it goes into the audit trail with the change");
        }
        if (reason.length() > MAX_REASON) {
            return error(
                    Response.Status.BAD_REQUEST, "reason", "the reason is longer than " + MAX_REASON + " characters");
        }
        JsonNode force = request.body().path("force");
        if (!force.isMissingNode() && !force.isBoolean()) {
            return error(Response.Status.BAD_REQUEST, "force", "force is true or false, not " + force);
        }
        return null;
    }

    private String unknownUnit(String unit) {
        return "unknown unit '" + unit + "': this dashboard holds the control tables of "
                + (config.configuredUnits().isEmpty() ? "no unit" : String.join(", ", config.configuredUnits()))
                + " (migration.dashboard.store.<name>.units); nothing was changed";
    }

    private static String principal(SecurityContext security) {
        Principal principal = security == null ? null : security.getUserPrincipal();
        return principal == null || principal.getName() == null ? "anonymous" : principal.getName();
    }

    private static Response guardRailsRefused(List<String> failures) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_code", Response.Status.CONFLICT.getStatusCode());
        body.put(
                "message",
                "refused by the guard rails, nothing was changed: " + String.join("; ", failures)
                        + ". Send \"force\": true to move anyway; the force is recorded in the audit trail.");
        body.set("guard_rails", JSON.valueToTree(failures));
        return json(Response.Status.CONFLICT, body);
    }

    private static Response unavailable(ControlStore store, Exception e) {
        log.warn("The store {} could not be reached: {}", store.name(), e.getMessage());
        return error(
                Response.Status.SERVICE_UNAVAILABLE,
                null,
                "the store " + store.name() + " could not be reached, nothing was changed: " + e.getMessage());
    }

    /** Connect's own error shape ({@code error_code}, {@code message}), with the field at fault. */
    private static Response error(Response.Status status, String field, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error_code", status.getStatusCode());
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        return json(status, body);
    }

    private static Response json(Response.Status status, JsonNode body) {
        try {
            return Response.status(status)
                    .type(MediaType.APPLICATION_JSON)
                    .entity(JSON.writeValueAsString(body))
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A change's body: a JSON object with {@code reason}, {@code force} and the change's own fields. */
    private record Request(JsonNode body, String problem) {
        static Request read(String text) {
            if (text == null || text.isBlank()) {
                return new Request(JSON.createObjectNode(), "a JSON object is required, with at least a reason");
            }
            try {
                JsonNode body = JSON.readTree(text);
                if (body == null || !body.isObject()) {
                    return new Request(JSON.createObjectNode(), "the body must be a JSON object");
                }
                return new Request(body, null);
            } catch (JsonProcessingException e) {
                return new Request(JSON.createObjectNode(), "the body is not JSON: " + e.getOriginalMessage());
            }
        }

        String text(String field) {
            JsonNode value = body.path(field);
            return value.isTextual() ? value.asText() : null;
        }

        String quoted(String field) {
            JsonNode value = body.path(field);
            return value.isMissingNode() ? "nothing" : value.toString();
        }

        String reason() {
            return text("reason");
        }

        boolean force() {
            return body.path("force").asBoolean(false);
        }
    }
}
