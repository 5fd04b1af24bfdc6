//! The Entrepot node: runs the Entrepot runtime from its wasm blob, produces blocks with Aura,
//! finalizes them with GRANDPA and keeps its state in ParityDb.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
