//! The runtime APIs: what the node, polkadot.js and integrators call through `state_call`.
//!
//! Core, Metadata (v14, v15 and v16), BlockBuilder, TaggedTransactionQueue, OffchainWorkerApi,
//! AuraApi, GrandpaApi, SessionKeys, AccountNonceApi, TransactionPaymentApi (and its call
//! variant) and GenesisBuilder: everything polkadot.js needs to work with no custom types.
//! `OrdersApi` answers inquiries about orders, merchants and escrows (`api.call.ordersApi.*`);
//! `DisputesApi` about disputes and arbiters (`api.call.disputesApi.*`); `LoyaltyApi` about
//! merchants' reputation and reviews and about rewards (`api.call.loyaltyApi.*`); `GatewaysApi`
//! about gateways, withdrawal requests and supply against reserves (`api.call.gatewaysApi.*`);
//! `ExchangeApi` prices payments in another currency and fees in a stablecoin
//! (`api.call.exchangeApi.*`), and `AssetConversionApi` quotes single pools and shows their
//! reserves (`api.call.assetConversionApi.*`).

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use pallet_grandpa::AuthorityId as GrandpaId;
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_version::RuntimeVersion;

use entrepot_primitives::{CurrencyId, EscrowInfo, OrderId};
use pallet_disputes::{DisputeId, DisputeOf, DisputeParamsOf};
use pallet_gateways::{GatewayInfoOf, ParamsOf, ReservesOf, WithdrawalId, WithdrawalOf};
use pallet_loyalty::{CompletedOrderOf, CurrencyRate, PendingRewardOf, Reputation, ReviewOf};
use pallet_orders::{OrderOf, PolicyOf, QuoteOf};
use sp_core::H256;
use sp_runtime::{FixedU128, Permill};

use crate::{
	genesis_config_presets, AccountId, AssetConversion, Aura, Balance, Block, Disputes, Escrow,
	Exchange, Executive, Gateways, Grandpa, InherentDataExt, Loyalty, Nonce, Orders, Runtime,
	RuntimeCall, RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// The key owner proof type is `Void`: there is no proof to give.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_orders::runtime_api::OrdersApi<
		Block,
		AccountId,
		OrderOf<Runtime>,
		PolicyOf<Runtime>,
		QuoteOf<Runtime>,
	> for Runtime
	{
		fn order(order_id: OrderId) -> Option<OrderOf<Runtime>> {
			Orders::order(order_id)
		}

		fn orders_of_customer(
			who: AccountId,
			start_after: Option<OrderId>,
			limit: u32,
		) -> Vec<(OrderId, OrderOf<Runtime>)> {
			Orders::orders_of_customer(who, start_after, limit)
		}

		fn orders_of_merchant(
			who: AccountId,
			start_after: Option<OrderId>,
			limit: u32,
		) -> Vec<(OrderId, OrderOf<Runtime>)> {
			Orders::orders_of_merchant(who, start_after, limit)
		}

		fn merchant_policy(who: AccountId) -> Option<PolicyOf<Runtime>> {
			Orders::merchant_policy(who)
		}

		fn escrow(order_id: OrderId) -> Option<EscrowInfo<AccountId>> {
			Escrow::escrow(order_id)
		}

		fn total_locked(currency: CurrencyId) -> Balance {
			Escrow::total_locked(currency)
		}

		fn order_by_reference(
			merchant: AccountId,
			reference: H256,
		) -> Option<(OrderId, OrderOf<Runtime>)> {
			Orders::order_by_reference(merchant, reference)
		}

		fn quote(
			pay_currency: CurrencyId,
			currency: CurrencyId,
			amount: Balance,
		) -> Option<QuoteOf<Runtime>> {
			Orders::quote(pay_currency, currency, amount)
		}
	}

	impl pallet_exchange::runtime_api::ExchangeApi<Block> for Runtime {
		fn cost(pay: CurrencyId, receive: CurrencyId, amount: Balance) -> Option<Balance> {
			Exchange::route(&pay, &receive, amount).map(|(_, cost)| cost)
		}

		fn fee_in(asset: CurrencyId, native_fee: Balance) -> Option<Balance> {
			Exchange::fee_in(&asset, native_fee)
		}

		fn reference_rate(currency: CurrencyId) -> (Option<FixedU128>, Permill) {
			(
				pallet_exchange::ReferenceRates::<Runtime>::get(currency),
				pallet_exchange::MaxFeeDeviation::<Runtime>::get(),
			)
		}
	}

	impl pallet_asset_conversion::AssetConversionApi<Block, Balance, CurrencyId> for Runtime {
		fn quote_price_exact_tokens_for_tokens(
			asset1: CurrencyId,
			asset2: CurrencyId,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_exact_tokens_for_tokens(asset1, asset2, amount, include_fee)
		}

		fn quote_price_tokens_for_exact_tokens(
			asset1: CurrencyId,
			asset2: CurrencyId,
			amount: Balance,
			include_fee: bool,
		) -> Option<Balance> {
			AssetConversion::quote_price_tokens_for_exact_tokens(asset1, asset2, amount, include_fee)
		}

		fn get_reserves(asset1: CurrencyId, asset2: CurrencyId) -> Option<(Balance, Balance)> {
			AssetConversion::get_reserves(asset1, asset2).ok()
		}
	}

	impl pallet_disputes::runtime_api::DisputesApi<
		Block,
		AccountId,
		DisputeOf<Runtime>,
		DisputeParamsOf<Runtime>,
	> for Runtime {
		fn dispute(dispute_id: DisputeId) -> Option<DisputeOf<Runtime>> {
			Disputes::dispute(dispute_id)
		}

		fn dispute_of_order(order_id: OrderId) -> Option<(DisputeId, DisputeOf<Runtime>)> {
			Disputes::dispute_of_order(order_id)
		}

		fn arbiter_cases(arbiter: AccountId) -> Vec<(DisputeId, DisputeOf<Runtime>)> {
			Disputes::arbiter_cases(arbiter)
		}

		fn disputes_of(
			party: AccountId,
			start_after: Option<DisputeId>,
			limit: u32,
		) -> Vec<(DisputeId, DisputeOf<Runtime>)> {
			Disputes::disputes_of(party, start_after, limit)
		}

		fn arbiters() -> Vec<AccountId> {
			Disputes::arbiters()
		}

		fn params() -> DisputeParamsOf<Runtime> {
			Disputes::params()
		}
	}

	impl pallet_gateways::runtime_api::GatewaysApi<
		Block,
		AccountId,
		GatewayInfoOf<Runtime>,
		WithdrawalOf<Runtime>,
		ReservesOf<Runtime>,
		ParamsOf<Runtime>,
	> for Runtime {
		fn gateways() -> Vec<(AccountId, GatewayInfoOf<Runtime>)> {
			Gateways::gateways()
		}

		fn withdrawal(id: WithdrawalId) -> Option<WithdrawalOf<Runtime>> {
			Gateways::withdrawal(id)
		}

		fn withdrawals_of(who: AccountId) -> Vec<(WithdrawalId, WithdrawalOf<Runtime>)> {
			Gateways::withdrawals_of(&who)
		}

		fn reserves() -> Vec<ReservesOf<Runtime>> {
			Gateways::reserves()
		}

		fn params() -> ParamsOf<Runtime> {
			Gateways::params()
		}

		fn reference_used(gateway: AccountId, reference: sp_core::H256) -> bool {
			Gateways::reference_used(&gateway, reference)
		}
	}

	impl pallet_loyalty::runtime_api::LoyaltyApi<
		Block,
		AccountId,
		ReviewOf<Runtime>,
		CompletedOrderOf<Runtime>,
		PendingRewardOf<Runtime>,
	> for Runtime {
		fn reputation(merchant: AccountId) -> Reputation {
			Loyalty::reputation(merchant)
		}

		fn recent_reviews(merchant: AccountId, skip: u32, limit: u32) -> Vec<ReviewOf<Runtime>> {
			Loyalty::recent_reviews(merchant, skip, limit)
		}

		fn completed_order(order_id: OrderId) -> Option<CompletedOrderOf<Runtime>> {
			Loyalty::completed_order(order_id)
		}

		fn pending_reward(order_id: OrderId) -> Option<PendingRewardOf<Runtime>> {
			Loyalty::pending_reward(order_id)
		}

		fn currency_rate(currency: CurrencyId) -> Option<CurrencyRate> {
			Loyalty::currency_rate(currency)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use crate::benchmarks::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			let storage_info = crate::AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use sp_storage::TrackedStorageKey;
			use crate::benchmarks::*;

			let whitelist: Vec<TrackedStorageKey> =
				crate::AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// try-runtime is an off-chain tool: a failed check must stop it with a backtrace.
			let weight = Executive::try_runtime_upgrade(checks).expect("try-runtime upgrade checks");
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			// try-runtime is an off-chain tool: a failed check must stop it with a backtrace.
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("try-runtime block execution checks")
		}
	}
}
