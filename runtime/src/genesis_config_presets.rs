//! Genesis presets: `development` (Alice validates alone, sits alone on the council and holds
//! the sudo key) and `local_testnet` (Alice and Bob validate, Alice, Bob and Charlie are the
//! council, Dave, Eve and Ferdie are the arbiters, and there is no sudo key). Both fund the
//! well-known development accounts with `ENT` and the two demo stablecoins, `USDX` and `CNYX`,
//! whose every role is the keyless gateways account's (no key can mint, burn or freeze them),
//! and create the loyalty token `LOY` with the rates at which orders in each currency earn it.
//! The platform account, the escrow account and the disputes account start with the minimum
//! balance of every currency, so that fees, escrows and deposits of any size can be paid in.
//!
//! The validators are `pallet-validators`' genesis set; their session keys are the session
//! pallet's genesis keys, from which Aura and GRANDPA take their first authorities.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::PresetId;
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	configs::{
		loyalty::{LOYALTY_DECIMALS, LOYALTY_MIN_BALANCE, LOYALTY_TOKEN},
		monetary::PlatformAccount,
	},
	AccountId, AssetConversionConfig, AssetId, AssetsConfig, Balance, BalancesConfig,
	CouncilMembershipConfig, Disputes, DisputesConfig, Escrow, EscrowConfig, ExchangeConfig,
	Gateways, GatewaysConfig, Loyalty, LoyaltyConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, SudoConfig, ValidatorsConfig, DAYS, EXISTENTIAL_DEPOSIT, UNITS,
};
use entrepot_primitives::{CurrencyId, NativeOrWithId};
use frame_support::BoundedVec;
use pallet_gateways::{Limits, Params as GatewayParams};
use pallet_loyalty::CurrencyRate;
use sp_runtime::{FixedU128, Permill};

/// Asset id of the demo US-dollar stablecoin.
pub const USDX: AssetId = 1;
/// Asset id of the demo renminbi stablecoin.
pub const CNYX: AssetId = 2;
/// Assets created after genesis get ids from here on; lower ids are kept for the platform.
pub const FIRST_FREE_ASSET_ID: AssetId = 100;
/// Decimal places of the demo stablecoins.
pub const STABLECOIN_DECIMALS: u8 = 6;
/// One whole stablecoin unit.
pub const STABLECOIN_UNIT: Balance = 1_000_000;
/// The smallest stablecoin balance an account may hold: one cent (or fen).
pub const STABLECOIN_MIN_BALANCE: Balance = STABLECOIN_UNIT / 100;

/// `ENT` given to each endowed account.
pub const ENDOWMENT: Balance = 1_000_000 * UNITS;
/// Stablecoins (of each kind) given to each endowed account.
pub const STABLECOIN_ENDOWMENT: Balance = 100_000 * STABLECOIN_UNIT;

/// The limits of the demo gateways: 100 000 a deposit, 1 000 000 a day, 1 000 000 000
/// outstanding (in whole coins).
pub const GATEWAY_LIMITS: Limits = Limits {
	per_deposit: 100_000 * STABLECOIN_UNIT,
	per_day: 1_000_000 * STABLECOIN_UNIT,
	outstanding: 1_000_000_000 * STABLECOIN_UNIT,
};

/// The demo gateways: `//One` for USDX and `//Two` for CNYX. Each is attributed its coin's whole
/// genesis supply, attested at block 0.
fn demo_gateways() -> Vec<(AccountId, AssetId, Limits)> {
	vec![
		(Sr25519Keyring::One.to_account_id(), USDX, GATEWAY_LIMITS),
		(Sr25519Keyring::Two.to_account_id(), CNYX, GATEWAY_LIMITS),
	]
}

/// ENT in each genesis pool of ENT against a stablecoin: 1 000 000 ENT.
pub const POOL_ENT: Balance = 1_000_000 * UNITS;
/// USDX in each genesis pool with USDX: 500 000 USDX (1 USDX = 2 ENT).
pub const POOL_USDX: Balance = 500_000 * STABLECOIN_UNIT;
/// CNYX in each genesis pool with CNYX: 3 500 000 CNYX (1 USDX = 7 CNYX).
pub const POOL_CNYX: Balance = 3_500_000 * STABLECOIN_UNIT;
/// What the platform keeps of each stablecoin beside the pools, to pay refunds converted back
/// at the rate customers paid: 100 000 USDX and 700 000 CNYX.
pub const PLATFORM_FLOAT_USDX: Balance = 100_000 * STABLECOIN_UNIT;
/// See [`PLATFORM_FLOAT_USDX`].
pub const PLATFORM_FLOAT_CNYX: Balance = 700_000 * STABLECOIN_UNIT;

/// The genesis pools, seeded by the platform account: ENT/USDX, ENT/CNYX and USDX/CNYX, at
/// 1 USDX = 2 ENT = 7 CNYX.
fn genesis_pools() -> Vec<(CurrencyId, CurrencyId, AccountId, Balance, Balance)> {
	let platform = PlatformAccount::get();
	let (ent, usdx, cnyx) =
		(NativeOrWithId::Native, NativeOrWithId::WithId(USDX), NativeOrWithId::WithId(CNYX));
	vec![
		(ent.clone(), usdx.clone(), platform.clone(), POOL_ENT, POOL_USDX),
		(ent, cnyx.clone(), platform.clone(), POOL_ENT, POOL_CNYX),
		(usdx, cnyx, platform, POOL_USDX, POOL_CNYX),
	]
}

/// Governance's reference rates at genesis, in planck of ENT per planck of the stablecoin
/// (ENT has 12 decimals, the stablecoins 6): 1 USDX = 2 ENT, 1 CNYX = 2/7 ENT.
fn reference_rates() -> Vec<(CurrencyId, FixedU128)> {
	vec![
		(NativeOrWithId::WithId(USDX), FixedU128::from_u32(2_000_000)),
		(NativeOrWithId::WithId(CNYX), FixedU128::from_rational(2_000_000, 7)),
	]
}

/// The platform fee at genesis: 1% of what a merchant is paid.
pub const GENESIS_PLATFORM_FEE: Permill = Permill::from_percent(1);

/// What orders earn in `LOY` at genesis: 2% of a stablecoin order, 1% of an ENT order, at
/// 1 LOY per USDX, 0.14 LOY per CNYX and 2 LOY per ENT; orders below 5 USDX, 35 CNYX or 5 ENT
/// earn nothing. (`LOY` and the stablecoins have 6 decimals, ENT has 12.)
fn loyalty_rates() -> Vec<(CurrencyId, CurrencyRate)> {
	let rate = |percent, tokens_per_unit, min_order_value| CurrencyRate {
		reward_rate: Permill::from_percent(percent),
		tokens_per_unit,
		min_order_value,
	};
	vec![
		(NativeOrWithId::WithId(USDX), rate(2, FixedU128::from_u32(1), 5 * STABLECOIN_UNIT)),
		(
			NativeOrWithId::WithId(CNYX),
			rate(2, FixedU128::from_rational(14, 100), 35 * STABLECOIN_UNIT),
		),
		(NativeOrWithId::Native, rate(1, FixedU128::from_rational(2, 1_000_000), 5 * UNITS)),
	]
}

/// The id of the development preset.
pub const DEV_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// The id of the two-validator local preset.
pub const LOCAL_PRESET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;

/// A development validator: its account, and its Aura (sr25519) and GRANDPA (ed25519) keys
/// derived from the same well-known seed, as the node's `--alice`, `--bob`, … flags insert them.
fn validator(who: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, AuraId, GrandpaId) {
	(who.to_account_id(), who.public().into(), grandpa.public().into())
}

/// The session pallet's genesis keys of `validators`: `(account, validator id, keys)`, the
/// validator id being the account.
fn session_keys(
	validators: &[(AccountId, AuraId, GrandpaId)],
) -> Vec<(AccountId, AccountId, SessionKeys)> {
	validators
		.iter()
		.map(|(who, aura, grandpa)| {
			(who.clone(), who.clone(), SessionKeys { aura: aura.clone(), grandpa: grandpa.clone() })
		})
		.collect()
}

/// The accounts of the platform that receive or hold money in every currency: the platform
/// (fee) account, the escrow account and the disputes account. Each exists from genesis with
/// the minimum balance of every currency.
fn platform_accounts() -> Vec<AccountId> {
	vec![PlatformAccount::get(), Escrow::account_id(), Disputes::account_id()]
}

/// A genesis state with the given validators, council, arbiters, sudo key (if any) and funded
/// accounts; the demo stablecoins' roles all belong to the keyless gateways account.
fn entrepot_genesis(
	validators: Vec<(AccountId, AuraId, GrandpaId)>,
	council: Vec<AccountId>,
	arbiters: Vec<AccountId>,
	sudo: Option<AccountId>,
	endowed: Vec<AccountId>,
) -> Value {
	let stablecoins = [(USDX, "US Dollar X", "USDX"), (CNYX, "Chinese Yuan X", "CNYX")];
	let issuer = Gateways::account_id();
	let platform = platform_accounts();
	// The loyalty token is administered by the loyalty pallet's account, which alone mints
	// and burns it. Sufficient, as the stablecoins: a customer who holds no ENT receives its
	// rewards; its minimum balance, worth about theirs, keeps dust accounts costly.
	let loyalty = (LOYALTY_TOKEN, Loyalty::account_id(), true, LOYALTY_MIN_BALANCE);
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed
				.iter()
				.cloned()
				.map(|who| (who, ENDOWMENT))
				.chain(platform.iter().cloned().map(|who| {
					let pools = if who == PlatformAccount::get() { 2 * POOL_ENT } else { 0 };
					(who, EXISTENTIAL_DEPOSIT + pools)
				}))
				.collect::<Vec<_>>(),
		},
		// Aura and GRANDPA have no genesis authorities of their own: the session pallet's genesis
		// gives them the validators' keys.
		validators: ValidatorsConfig {
			initial_validators: validators
				.iter()
				.map(|(who, _, _)| who.clone())
				.collect::<Vec<_>>(),
		},
		session: SessionConfig { keys: session_keys(&validators) },
		// The council's members; `pallet-membership` hands them to `pallet-collective`.
		council_membership: CouncilMembershipConfig { members: BoundedVec::truncate_from(council) },
		assets: AssetsConfig {
			// Sufficient: a customer may hold stablecoins without holding ENT.
			assets: stablecoins
				.iter()
				.map(|(id, _, _)| (*id, issuer.clone(), true, STABLECOIN_MIN_BALANCE))
				.chain([loyalty])
				.collect::<Vec<_>>(),
			metadata: stablecoins
				.iter()
				.map(|(id, name, symbol)| (*id, *name, *symbol, STABLECOIN_DECIMALS))
				.chain([(LOYALTY_TOKEN, "Entrepot Loyalty", "LOY", LOYALTY_DECIMALS)])
				.map(|(id, name, symbol, decimals)| {
					(id, name.as_bytes().to_vec(), symbol.as_bytes().to_vec(), decimals)
				})
				.collect::<Vec<_>>(),
			accounts: stablecoins
				.iter()
				.flat_map(|(id, _, _)| {
					endowed.iter().cloned().map(move |who| (*id, who, STABLECOIN_ENDOWMENT)).chain(
						platform.iter().cloned().map(move |who| {
							let pools_and_float = match (who == PlatformAccount::get(), *id) {
								(true, USDX) => 2 * POOL_USDX + PLATFORM_FLOAT_USDX,
								(true, _) => 2 * POOL_CNYX + PLATFORM_FLOAT_CNYX,
								(false, _) => 0,
							};
							(*id, who, STABLECOIN_MIN_BALANCE + pools_and_float)
						}),
					)
				})
				.collect::<Vec<_>>(),
			next_asset_id: Some(FIRST_FREE_ASSET_ID),
		},
		escrow: EscrowConfig { platform_fee: GENESIS_PLATFORM_FEE },
		// The pools a customer's payment in another currency, and a fee paid in a stablecoin,
		// are exchanged in; a fee may cost at most 5% above its reference value.
		asset_conversion: AssetConversionConfig { pools: genesis_pools() },
		exchange: ExchangeConfig {
			reference_rates: reference_rates(),
			max_fee_deviation: Permill::from_percent(5),
		},
		// A gateway that leaves a withdrawal untouched for a day lets its account cancel it; an
		// attestation older than a day stops minting.
		gateways: GatewaysConfig {
			gateways: demo_gateways(),
			params: GatewayParams { withdrawal_timeout: DAYS, max_attestation_age: DAYS },
		},
		disputes: DisputesConfig { arbiters },
		loyalty: LoyaltyConfig { currency_rates: loyalty_rates() },
		sudo: SudoConfig { key: sudo },
	})
}

/// Every well-known development account (Alice … Ferdie, their stashes, One and Two).
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter().map(|k| k.to_account_id()).collect()
}

/// The `development` preset: Alice authors and finalizes alone, is the whole council and holds
/// the sudo key, so demos need no votes.
pub fn development_config_genesis() -> Value {
	let alice = Sr25519Keyring::Alice.to_account_id();
	entrepot_genesis(
		vec![validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		vec![alice.clone()],
		vec![],
		Some(alice),
		dev_accounts(),
	)
}

/// The `local_testnet` preset: Alice and Bob validate; Alice, Bob and Charlie are the council;
/// Dave, Eve and Ferdie are the arbiters; there is no sudo key, so every privileged call goes
/// through governance.
pub fn local_config_genesis() -> Value {
	entrepot_genesis(
		vec![
			validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		vec![
			Sr25519Keyring::Alice.to_account_id(),
			Sr25519Keyring::Bob.to_account_id(),
			Sr25519Keyring::Charlie.to_account_id(),
		],
		vec![
			Sr25519Keyring::Dave.to_account_id(),
			Sr25519Keyring::Eve.to_account_id(),
			Sr25519Keyring::Ferdie.to_account_id(),
		],
		None,
		dev_accounts(),
	)
}

/// The JSON patch of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_PRESET => development_config_genesis(),
		LOCAL_PRESET => local_config_genesis(),
		_ => return None,
	};
	// Serializing a `serde_json::Value` cannot fail.
	serde_json::to_vec(&patch).ok()
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_PRESET)]
}
