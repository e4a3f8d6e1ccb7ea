using HcsLicensing.ServiceDefaults.Security;
using System.Text.Json;
using HcsLicensing.Chpa.Data;
using HcsLicensing.Contracts.Audit;
using HcsLicensing.ServiceDefaults.Outbox;
using HcsLicensing.Contracts.Chpa;
using HcsLicensing.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HcsLicensing.Chpa.Inventory;

/// <summary>
/// The UC application inventory over HTTP: add, change, remove, list and get clusters. Credentials go in and never
/// come out; errors are RFC 9457 problem details, bad input naming each field.
/// </summary>
public static class InventoryApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapInventoryApi(this IEndpointRouteBuilder endpoints)
    {
        var clusters = endpoints.MapGroup("/clusters").WithTags("Inventory");
        clusters.MapPost("/", AddCluster).RequirePermission(HcsPermissions.Admin).TestsCredentials();
        clusters.MapPut("/{name}", ChangeCluster).RequirePermission(HcsPermissions.Admin).TestsCredentials();
        clusters.MapDelete("/{name}", RemoveCluster).RequirePermission(HcsPermissions.Admin);
        clusters.MapGet("/", ListClusters).RequirePermission(HcsPermissions.Read);
        clusters.MapGet("/{name}", GetCluster).RequirePermission(HcsPermissions.Read);
        return endpoints;
    }

    private static async Task<Results<Created<ClusterDto>, ValidationProblem, ProblemHttpResult>> AddCluster(
        HttpRequest request, ChpaDbContext db, TransactionalOutbox<ChpaDbContext> outbox, CredentialProtector protector, PublisherAllowList allowList, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, bodyErrors) = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.ValidationProblem(bodyErrors);
        }

        if (ClusterInputValidator.Validate(body, routeName: null, out var errors) is not { } input)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!allowList.Allows(input.PublisherAddress))
        {
            return PublisherNotAllowed();
        }

        var now = clock.GetUtcNow();
        var record = new ClusterRecord
        {
            Id = Guid.NewGuid(),
            Name = input.Name,
            NormalizedName = ClusterDirectory.Normalize(input.Name),
            Type = input.Type,
            Version = input.Version,
            PublisherAddress = input.PublisherAddress,
            ManagementCredentials = protector.Protect(input.Management!, input.PublisherAddress),
            PlatformCredentials = protector.Protect(input.Platform!, input.PublisherAddress),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Clusters.Add(record);
        await outbox.Publish.Publish(Changed(record.Name, $"Cluster added: {Describe(record)}", request.HttpContext, now), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Conflict(input.Name);
        }

        return TypedResults.Created($"/clusters/{Uri.EscapeDataString(record.Name)}", ClusterDto.From(record));
    }

    private static async Task<Results<Ok<ClusterDto>, ValidationProblem, ProblemHttpResult>> ChangeCluster(
        string name, HttpRequest request, ChpaDbContext db, TransactionalOutbox<ChpaDbContext> outbox, CredentialProtector protector, PublisherAllowList allowList, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, bodyErrors) = await ReadBodyAsync(request, cancellationToken);
        if (body is null)
        {
            return TypedResults.ValidationProblem(bodyErrors);
        }

        if (ClusterInputValidator.Validate(body, name, out var errors) is not { } input)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var normalized = ClusterDirectory.Normalize(name);
        var record = await db.Clusters.SingleOrDefaultAsync(c => c.NormalizedName == normalized, cancellationToken);
        if (record is null)
        {
            return NotFound(name);
        }

        if (!allowList.Allows(input.PublisherAddress))
        {
            return PublisherNotAllowed();
        }

        // A new address is where the credentials would go next: whoever changes it must know them, or the inventory
        // would hand the stored passwords to any host a caller names. Type and version do not change where calls go
        // (the base address is built from the publisher address alone), so they may change without credentials.
        if (PublisherAllowList.Normalize(input.PublisherAddress) != PublisherAllowList.Normalize(record.PublisherAddress)
            && CredentialsRequiredForNewAddress(input) is { } missing)
        {
            return missing;
        }

        record.Type = input.Type;
        record.Version = input.Version;
        record.PublisherAddress = input.PublisherAddress;
        // Credentials left out of a change stay as they are (re-protected only when given): an operator editing the
        // version need not retype passwords. They stay bound to the address they were entered for.
        record.ManagementCredentials = input.Management is null ? record.ManagementCredentials : protector.Protect(input.Management, input.PublisherAddress);
        record.PlatformCredentials = input.Platform is null ? record.PlatformCredentials : protector.Protect(input.Platform, input.PublisherAddress);
        record.UpdatedAt = clock.GetUtcNow();
        var credentials = (input.Management, input.Platform) switch
        {
            (null, null) => "credentials kept",
            (not null, not null) => "management and platform credentials replaced",
            (not null, null) => "management credentials replaced",
            _ => "platform credentials replaced",
        };
        await outbox.Publish.Publish(Changed(record.Name, $"Cluster changed: {Describe(record)}; {credentials}", request.HttpContext, record.UpdatedAt), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ClusterDto.From(record));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveCluster(
        string name, HttpContext http, ChpaDbContext db, TransactionalOutbox<ChpaDbContext> outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var normalized = ClusterDirectory.Normalize(name);
        // The removal and its audit line commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var removed = await db.Clusters.Where(c => c.NormalizedName == normalized).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0)
        {
            return NotFound(name);
        }

        await outbox.Publish.Publish(Changed(name.Trim(), "Cluster removed from the inventory", http, clock.GetUtcNow()), cancellationToken);
        await outbox.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The audit trail's line for an inventory change; credentials are named, never their values.</summary>
    private static ConfigurationChanged Changed(string cluster, string change, HttpContext http, DateTimeOffset at) => new()
    {
        Service = "Chpa",
        EntityType = "Cluster",
        EntityName = cluster,
        Change = change,
        ChangedBy = CallerIdentity.Of(http.User) ?? "(unknown)",
        ChangedAt = at,
    };

    private static string Describe(ClusterRecord record) => $"{record.Type} {record.Version}, publisher {record.PublisherAddress}";

    private static async Task<Results<Ok<ClusterDto>, ProblemHttpResult>> GetCluster(string name, ChpaDbContext db, CancellationToken cancellationToken)
    {
        var normalized = ClusterDirectory.Normalize(name);
        var record = await db.Clusters.AsNoTracking().SingleOrDefaultAsync(c => c.NormalizedName == normalized, cancellationToken);
        return record is null ? NotFound(name) : TypedResults.Ok(ClusterDto.From(record));
    }

    private static async Task<Results<Ok<ClusterPageDto>, ValidationProblem>> ListClusters(
        string? type, string? page, string? pageSize, ChpaDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UcApplicationType? wantedType = null;
        if (type is not null)
        {
            if (ClusterInputValidator.TryParseType(type, out var parsed))
            {
                wantedType = parsed;
            }
            else
            {
                errors["type"] = [$"type must be one of {string.Join(", ", Enum.GetNames<UcApplicationType>())}"];
            }
        }

        var paging = Paging.Read(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var clusters = db.Clusters.AsNoTracking();
        if (wantedType is { } t)
        {
            clusters = clusters.Where(c => c.Type == t);
        }

        var total = await clusters.CountAsync(cancellationToken);
        var items = await clusters.OrderBy(c => c.NormalizedName).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ClusterPageDto([.. items.Select(ClusterDto.From)], paging.Page, paging.PageSize, total));
    }

    /// <summary>Reads the body ourselves, so that a value of the wrong JSON type is reported under its field's name.</summary>
    private static async Task<(ClusterInputDto? Body, Dictionary<string, string[]> Errors)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var body = await request.ReadFromJsonAsync<ClusterInputDto>(Json, cancellationToken);
            return body is null ? (null, new() { ["body"] = ["a JSON object is required"] }) : (body, []);
        }
        catch (JsonException exception)
        {
            var field = exception.Path is { Length: > 2 } path ? path[2..] : "body";
            return (null, new() { [field] = [$"{field} has a value of the wrong type or is not valid JSON"] });
        }
        catch (InvalidOperationException)
        {
            return (null, new() { ["body"] = ["the body must be JSON (Content-Type: application/json)"] });
        }
    }

    private static ProblemHttpResult? CredentialsRequiredForNewAddress(ClusterInput input)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, given) in new[] { ("managementCredentials", input.Management), ("platformCredentials", input.Platform) })
        {
            if (given is null)
            {
                errors[field] = [$"{field} are required when publisherAddress changes: credentials go only to the address they were entered for"];
            }
        }

        return errors.Count == 0 ? null : Unprocessable(errors, "Credentials required");
    }

    private static ProblemHttpResult PublisherNotAllowed() => Unprocessable(
        new() { ["publisherAddress"] = [$"publisherAddress is not in the publishers this CHPA may reach ({PublisherAllowList.Section})"] },
        "Publisher not allowed");

    /// <summary>422: well-formed, but refused for what it asks; a validation problem so that <c>errors</c> names the field.</summary>
    private static ProblemHttpResult Unprocessable(Dictionary<string, string[]> errors, string title) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Title = title, Status = StatusCodes.Status422UnprocessableEntity });

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(title: "Cluster not found", detail: $"the inventory has no cluster named '{name}'", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult Conflict(string name) =>
        TypedResults.Problem(title: "Cluster exists", detail: $"the inventory already has a cluster named '{name}'", statusCode: StatusCodes.Status409Conflict);
}
