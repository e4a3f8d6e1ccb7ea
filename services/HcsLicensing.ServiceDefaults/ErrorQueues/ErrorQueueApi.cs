using System.Globalization;
using HcsLicensing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using RabbitMQ.Client.Exceptions;

namespace HcsLicensing.ServiceDefaults.ErrorQueues;

/// <summary>
/// /admin/error-queues in every service with a bus, behind hcs.admin: its error queues with their depth, the messages of
/// one (ids, types, fault reasons; never a body), and moving chosen messages or all back to their queue.
/// The same as the command line's <c>errors list</c> / <c>errors move</c> (<see cref="ErrorQueueCommand"/>).
/// </summary>
public static class ErrorQueueApi
{
    public const string Route = "/admin/error-queues";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The longest message id accepted (a MassTransit id is a 36-character GUID).</summary>
    public const int MaxMessageIdLength = 128;

    internal static IEndpointRouteBuilder MapErrorQueueApi(this IEndpointRouteBuilder endpoints)
    {
        var queues = endpoints.MapGroup(Route).RequirePermission(HcsPermissions.Admin).WithTags("Error queues");
        queues.MapGet("/", ListQueues);
        queues.MapGet("/{queue}/messages", ListMessages);
        queues.MapPost("/{queue}/move", Move);
        return endpoints;
    }

    private static async Task<Results<Ok<ErrorQueueListDto>, ProblemHttpResult>> ListQueues(ErrorQueueBroker broker, CancellationToken cancellationToken)
    {
        try
        {
            var depths = await broker.DepthsAsync(cancellationToken);
            return TypedResults.Ok(new ErrorQueueListDto([.. depths.Select(d => new ErrorQueueDto(d.Queue.Name, d.Queue.ReceiveQueue, d.Depth))]));
        }
        catch (Exception unreachable) when (unreachable is BrokerUnreachableException or AlreadyClosedException)
        {
            return BrokerUnreachable(unreachable);
        }
    }

    private static async Task<Results<Ok<ErrorQueueMessagesDto>, ProblemHttpResult, ValidationProblem>> ListMessages(
        string queue, string? limit, ErrorQueueBroker broker, CancellationToken cancellationToken)
    {
        if (broker.Find(queue) is not { } errorQueue)
        {
            return UnknownQueue(queue, broker);
        }

        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.Integer, CultureInfo.InvariantCulture, out count) || count < 1 || count > MaxLimit))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}"] });
        }

        try
        {
            var page = await broker.PeekAsync(errorQueue, count, cancellationToken);
            return TypedResults.Ok(new ErrorQueueMessagesDto(errorQueue.Name, errorQueue.ReceiveQueue, page.Depth, page.Messages));
        }
        catch (Exception unreachable) when (unreachable is BrokerUnreachableException or AlreadyClosedException)
        {
            return BrokerUnreachable(unreachable);
        }
    }

    private static async Task<Results<Ok<MovedDto>, ProblemHttpResult, ValidationProblem>> Move(
        string queue, MoveRequest? request, ErrorQueueBroker broker, CancellationToken cancellationToken)
    {
        if (broker.Find(queue) is not { } errorQueue)
        {
            return UnknownQueue(queue, broker);
        }

        if (Validate(request) is { } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        try
        {
            var result = await broker.MoveAsync(errorQueue, request!.All == true ? null : request.MessageIds, cancellationToken);
            if (result.UnknownMessageIds.Count > 0)
            {
                return TypedResults.Problem(
                    title: "Unknown message id",
                    detail: $"{string.Join(", ", result.UnknownMessageIds)} {(result.UnknownMessageIds.Count == 1 ? "is" : "are")} not in {errorQueue.Name}; nothing was moved",
                    statusCode: StatusCodes.Status404NotFound,
                    extensions: new Dictionary<string, object?> { ["queue"] = errorQueue.Name, ["unknownMessageIds"] = result.UnknownMessageIds });
            }

            if (result.Refused is { } refused)
            {
                return TypedResults.Problem(
                    title: "Move stopped",
                    detail: $"{refused}; {result.Moved.Count} moved before it, the rest stay in {errorQueue.Name}",
                    statusCode: StatusCodes.Status502BadGateway,
                    extensions: new Dictionary<string, object?> { ["queue"] = errorQueue.Name, ["moved"] = result.Moved });
            }

            return TypedResults.Ok(new MovedDto(errorQueue.Name, errorQueue.ReceiveQueue, result.Moved.Count, result.Moved));
        }
        catch (Exception unreachable) when (unreachable is BrokerUnreachableException or AlreadyClosedException)
        {
            return BrokerUnreachable(unreachable);
        }
    }

    private static Dictionary<string, string[]>? Validate(MoveRequest? request)
    {
        var ids = request?.MessageIds ?? [];
        if (request?.All == true)
        {
            return ids.Count == 0 ? null : new() { ["all"] = ["give either all: true or messageIds, not both"] };
        }

        if (ids.Count == 0)
        {
            return new() { ["messageIds"] = ["name the messages to move (messageIds), or set all to true"] };
        }

        if (ids.Count > ErrorQueueBroker.MaxMessageIds)
        {
            return new() { ["messageIds"] = [$"at most {ErrorQueueBroker.MaxMessageIds} message ids at once (or all: true)"] };
        }

        return ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > MaxMessageIdLength)
            ? new() { ["messageIds"] = [$"each message id is 1 to {MaxMessageIdLength} characters"] }
            : null;
    }

    private static ProblemHttpResult UnknownQueue(string queue, ErrorQueueBroker broker) =>
        TypedResults.Problem(
            title: "Unknown error queue",
            detail: $"'{(queue.Length <= 255 ? queue : queue[..255])}' is not an error queue of this service; its error queues: {string.Join(", ", broker.Queues.Select(q => q.Name))}",
            statusCode: StatusCodes.Status404NotFound,
            extensions: new Dictionary<string, object?> { ["queue"] = queue.Length <= 255 ? queue : queue[..255] });

    private static ProblemHttpResult BrokerUnreachable(Exception unreachable) =>
        TypedResults.Problem(
            title: "Broker unreachable",
            detail: $"RabbitMQ cannot be reached ({unreachable.GetBaseException().Message}); messages not yet moved stay where they were. Try again in a few seconds.",
            statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Body of POST /admin/error-queues/{queue}/move: the ids of the messages to move, or all.</summary>
public sealed record MoveRequest(IReadOnlyList<string>? MessageIds, bool? All);

public sealed record ErrorQueueDto(string Queue, string ReceiveQueue, uint Depth);

public sealed record ErrorQueueListDto(IReadOnlyList<ErrorQueueDto> Items);

/// <summary>The first messages of an error queue (<c>limit</c>, 100 by default) and how many it holds.</summary>
public sealed record ErrorQueueMessagesDto(string Queue, string ReceiveQueue, uint Depth, IReadOnlyList<FaultedMessage> Items);

public sealed record MovedDto(string Queue, string ReceiveQueue, int Moved, IReadOnlyList<string?> MessageIds);
