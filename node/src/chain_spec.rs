//! Chain specifications: `dev` (Alice alone) and `local` (Alice and Bob), both built from the
//! runtime's genesis presets, advertising the token's symbol, decimals and address format.

use entrepot_runtime::{
	configs::SS58Prefix,
	genesis_config_presets::{DEV_PRESET, LOCAL_PRESET},
	TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY,
};
use sc_service::{ChainType, Properties};

/// The chain specification of an Entrepot chain.
pub type ChainSpec = sc_service::GenericChainSpec;

/// What wallets and polkadot.js Apps read to show amounts and addresses.
pub fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58Prefix::get().into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime's wasm blob was not built (SKIP_WASM_BUILD?)".into())
}

/// `--dev`: Alice authors and finalizes alone.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Entrepot Development")
		.with_id("entrepot_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(DEV_PRESET)
		.with_properties(properties())
		.build())
}

/// `--chain local`: Alice and Bob validate.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("Entrepot Local Testnet")
		.with_id("entrepot_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_PRESET)
		.with_properties(properties())
		.build())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn properties_match_the_runtime() {
		let properties = properties();
		assert_eq!(properties["tokenSymbol"], "ENT");
		assert_eq!(properties["tokenDecimals"], 12);
		assert_eq!(
			properties["ss58Format"],
			<entrepot_runtime::Runtime as frame_system::Config>::SS58Prefix::get()
		);
	}
}
