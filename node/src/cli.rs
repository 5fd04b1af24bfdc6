//! Command-line arguments.

/// The node's command line: a subcommand, or the flags of a running node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// What to do instead of running the node.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Flags of a running node (`--dev`, `--chain`, `--validator`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Serve JSON-RPC to the public: listen on every interface, safe methods only (no key
	/// insertion, no peer management, no extrinsic removal), CORS for polkadot.js Apps and
	/// localhost pages, at most 100 connections of 10 requests a second each, 1 MiB
	/// requests, 128 subscriptions and batches of 20 per connection. Explicit `--rpc-*` flags
	/// may only tighten these. Refused with `--validator`: a validator's RPC stays on
	/// loopback.
	#[arg(long, conflicts_with = "validator")]
	pub public_rpc: bool,
}

/// The limits [`Cli::public_rpc`] sets.
pub mod public_rpc {
	/// Connections at once.
	pub const MAX_CONNECTIONS: u32 = 100;
	/// Largest request, in MiB.
	pub const MAX_REQUEST_SIZE_MB: u32 = 1;
	/// Subscriptions per connection.
	pub const MAX_SUBSCRIPTIONS: u32 = 128;
	/// Calls per minute and connection.
	pub const RATE_LIMIT_PER_MINUTE: u32 = 600;
	/// Calls per batch request.
	pub const MAX_BATCH_LEN: u32 = 20;
	/// Origins browsers may call from.
	pub const CORS: [&str; 5] = [
		"https://polkadot.js.org",
		"http://localhost:*",
		"http://127.0.0.1:*",
		"https://localhost:*",
		"https://127.0.0.1:*",
	];
}

impl Cli {
	/// Applies [`Cli::public_rpc`] to the run flags: the public profile, each limit kept where
	/// an explicit flag already set a tighter one.
	pub fn apply_public_rpc(&mut self) {
		if !self.public_rpc {
			return;
		}
		let rpc = &mut self.run.rpc_params;
		rpc.rpc_external = true;
		rpc.unsafe_rpc_external = false;
		rpc.rpc_methods = sc_cli::RpcMethods::Safe;
		rpc.rpc_max_connections = rpc.rpc_max_connections.min(public_rpc::MAX_CONNECTIONS);
		rpc.rpc_max_request_size = rpc.rpc_max_request_size.min(public_rpc::MAX_REQUEST_SIZE_MB);
		rpc.rpc_max_subscriptions_per_connection =
			rpc.rpc_max_subscriptions_per_connection.min(public_rpc::MAX_SUBSCRIPTIONS);
		let rate = public_rpc::RATE_LIMIT_PER_MINUTE;
		rpc.rpc_rate_limit = Some(rpc.rpc_rate_limit.map_or(rate, |r| r.get().min(rate)))
			.and_then(core::num::NonZeroU32::new);
		if !rpc.rpc_disable_batch_requests {
			let len = public_rpc::MAX_BATCH_LEN;
			rpc.rpc_max_batch_request_len =
				Some(rpc.rpc_max_batch_request_len.map_or(len, |l| l.min(len)));
		}
		if !matches!(rpc.rpc_cors, Some(sc_cli::Cors::List(_))) {
			rpc.rpc_cors =
				Some(sc_cli::Cors::List(public_rpc::CORS.iter().map(|o| o.to_string()).collect()));
		}
	}
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys, and the node's network key.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Export a chain specification (`--chain dev|local|FILE`), plain or `--raw`.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain's data.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Database columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Benchmarks (`benchmark pallet` writes `weights.rs`); needs `--features
	/// runtime-benchmarks`.
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),
}
