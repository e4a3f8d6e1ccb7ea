using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace HcsLicensing.ServiceDefaults.Database;

/// <summary>
/// A unit of work that must be atomic wherever it runs: inside a consumer it is part of the message's transaction
/// (the transactional outbox opened it and commits it with the inbox record and the outgoing messages); elsewhere (a
/// background job, an HTTP endpoint) it is a transaction of its own. Commit only commits what this opened.
/// </summary>
public sealed class JoinedTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? own;

    private JoinedTransaction(IDbContextTransaction? own) => this.own = own;

    public Task CommitAsync(CancellationToken cancellationToken) => own?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => own?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Joins the transaction open on <paramref name="database"/>, or begins one (ReadCommitted).</summary>
    public static async Task<JoinedTransaction> BeginOrJoinAsync(DatabaseFacade database, CancellationToken cancellationToken) =>
        new(database.CurrentTransaction is null ? await database.BeginTransactionAsync(cancellationToken) : null);
}
