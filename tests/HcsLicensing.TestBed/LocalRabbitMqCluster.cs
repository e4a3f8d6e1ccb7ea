namespace HcsLicensing.TestBed;

/// <summary>
/// A RabbitMQ cluster of private rabbitmq-server nodes on this machine (each a <see cref="LocalRabbitMq"/>: its own node
/// name, ports and data), joined with rabbitmqctl join_cluster, standing in for the three machines of a deployment.
/// Any node can be stopped and started again (it rejoins with its data); all go when disposed.
/// </summary>
public sealed class LocalRabbitMqCluster : IAsyncDisposable
{
    private LocalRabbitMqCluster(IReadOnlyList<LocalRabbitMq> nodes) => Nodes = nodes;

    public IReadOnlyList<LocalRabbitMq> Nodes { get; }

    /// <summary>The first node: the connection string's host (user, password, virtual host are the same on every node).</summary>
    public RabbitMqEndpoint Endpoint => Nodes[0].Endpoint;

    /// <summary>Each node's AMQP address as host:port, for Messaging:ClusterNodes.</summary>
    public IReadOnlyList<string> NodeAddresses => [.. Nodes.Select(n => $"{n.Endpoint.Host}:{n.Endpoint.Port}")];

    /// <summary>Starts <paramref name="count"/> nodes at once, then joins the others to the first one by one (about 3 s each).</summary>
    public static async Task<LocalRabbitMqCluster> StartAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var starts = Enumerable.Range(0, count).Select(_ => LocalRabbitMq.StartAsync(cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts);
            var nodes = starts.Select(start => start.Result).ToList();
            foreach (var node in nodes.Skip(1))
            {
                await node.JoinClusterAsync(nodes[0], cancellationToken);
            }

            return new LocalRabbitMqCluster(nodes);
        }
        catch
        {
            await Task.WhenAll(starts.Where(start => start.IsCompletedSuccessfully).Select(start => start.Result.DisposeAsync().AsTask()));
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Task.WhenAll(Nodes.Select(node => node.DisposeAsync().AsTask()));
}
