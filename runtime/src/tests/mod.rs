//! Runtime tests: the genesis presets build, and the basic money paths work in
//! `TestExternalities` with the real runtime configuration. [`security`] performs the attacks
//! the runtime's wiring must refuse.

use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{fungible::Inspect as _, fungibles::Inspect as _},
};
use pallet_transaction_payment::OnChargeTransaction;
use serde_json::Value;
use sp_genesis_builder::PresetId;
use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie};
use sp_runtime::BuildStorage;

use crate::{
	configs::{monetary::PlatformAccount, SS58Prefix},
	genesis_config_presets::*,
	*,
};

/// Merges a preset's JSON patch into the default genesis config, as the node does.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

fn preset_config(id: &str) -> RuntimeGenesisConfig {
	let mut json = serde_json::to_value(RuntimeGenesisConfig::default()).expect("serializes");
	let patch = get_preset(&id.into()).expect("preset exists");
	merge(&mut json, serde_json::from_slice(&patch).expect("preset is JSON"));
	serde_json::from_value(json).expect("preset matches the genesis config")
}

mod fuzz;
mod security;
#[cfg(feature = "try-runtime")]
mod upgrade;

fn new_test_ext(id: &str) -> sp_io::TestExternalities {
	let storage = preset_config(id).build_storage().expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// How the runtime charges transaction fees.
type FeeAdapter = <Runtime as pallet_transaction_payment::Config>::OnChargeTransaction;

fn signed(who: sp_keyring::Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.to_account_id())
}

#[test]
fn runtime_offers_both_presets_and_no_others() {
	let names = preset_names();
	assert_eq!(names, vec![PresetId::from(DEV_PRESET), PresetId::from(LOCAL_PRESET)]);
	assert!(get_preset(&"staging".into()).is_none());
}

#[test]
fn development_genesis_has_one_validator_and_funded_dev_accounts() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let alice = Alice.to_account_id();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 1);
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 1);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));

		let accounts = sp_keyring::Sr25519Keyring::iter().count() as Balance;
		// The platform, escrow and disputes accounts hold the existential deposit; the platform
		// seeded the two ENT pools.
		assert_eq!(
			Balances::total_issuance(),
			accounts * ENDOWMENT + 3 * EXISTENTIAL_DEPOSIT + 2 * POOL_ENT
		);
		for who in [Alice, Bob, Charlie] {
			let who = who.to_account_id();
			assert_eq!(Balances::balance(&who), ENDOWMENT);
			assert_eq!(Assets::balance(USDX, &who), STABLECOIN_ENDOWMENT);
			assert_eq!(Assets::balance(CNYX, &who), STABLECOIN_ENDOWMENT);
		}
		assert_eq!(
			Assets::total_issuance(USDX),
			accounts * STABLECOIN_ENDOWMENT
				+ 3 * STABLECOIN_MIN_BALANCE
				+ 2 * POOL_USDX
				+ PLATFORM_FLOAT_USDX
		);
		// The platform account can receive fees, the escrow account escrows and the disputes
		// account deposits, in every currency, from the first block; the platform keeps a float
		// of each stablecoin for refunds converted back at the rate customers paid.
		for account in [Escrow::account_id(), Disputes::account_id()] {
			assert_eq!(Balances::balance(&account), EXISTENTIAL_DEPOSIT);
			assert_eq!(Assets::balance(CNYX, &account), STABLECOIN_MIN_BALANCE);
			assert_eq!(Assets::balance(USDX, &account), STABLECOIN_MIN_BALANCE);
		}
		let platform = PlatformAccount::get();
		assert_eq!(Balances::balance(&platform), EXISTENTIAL_DEPOSIT);
		assert_eq!(Assets::balance(CNYX, &platform), STABLECOIN_MIN_BALANCE + PLATFORM_FLOAT_CNYX);
		assert_eq!(Assets::balance(USDX, &platform), STABLECOIN_MIN_BALANCE + PLATFORM_FLOAT_USDX);
		// The genesis pools, at 1 USDX = 2 ENT = 7 CNYX.
		use entrepot_primitives::CurrencyId;
		let (ent, usdx, cnyx) =
			(CurrencyId::Native, CurrencyId::WithId(USDX), CurrencyId::WithId(CNYX));
		assert_eq!(
			AssetConversion::get_reserves(ent.clone(), usdx.clone()).ok(),
			Some((POOL_ENT, POOL_USDX))
		);
		assert_eq!(
			AssetConversion::get_reserves(ent, cnyx.clone()).ok(),
			Some((POOL_ENT, POOL_CNYX))
		);
		assert_eq!(AssetConversion::get_reserves(usdx, cnyx).ok(), Some((POOL_USDX, POOL_CNYX)));
		assert_eq!(pallet_escrow::PlatformFee::<Runtime>::get(), GENESIS_PLATFORM_FEE);
		assert_eq!(Assets::minimum_balance(USDX), STABLECOIN_MIN_BALANCE);
	});
}

#[test]
fn development_genesis_names_the_stablecoins() {
	use frame_support::traits::fungibles::metadata::Inspect as MetadataInspect;
	new_test_ext(DEV_PRESET).execute_with(|| {
		assert_eq!(<Assets as MetadataInspect<AccountId>>::symbol(USDX), b"USDX".to_vec());
		assert_eq!(<Assets as MetadataInspect<AccountId>>::symbol(CNYX), b"CNYX".to_vec());
		assert_eq!(<Assets as MetadataInspect<AccountId>>::name(USDX), b"US Dollar X".to_vec());
		assert_eq!(<Assets as MetadataInspect<AccountId>>::decimals(USDX), STABLECOIN_DECIMALS);
		assert_eq!(<Assets as MetadataInspect<AccountId>>::decimals(CNYX), STABLECOIN_DECIMALS);
		assert_eq!(pallet_assets::NextAssetId::<Runtime>::get(), Some(FIRST_FREE_ASSET_ID));
	});
}

#[test]
fn local_genesis_has_alice_and_bob_as_validators() {
	new_test_ext(LOCAL_PRESET).execute_with(|| {
		// The session pallet orders the validators by account (Bob's sorts before Alice's) and
		// hands their keys to Aura and GRANDPA.
		let aura = pallet_aura::Authorities::<Runtime>::get();
		assert_eq!(aura.len(), 2);
		assert!(aura.contains(&Alice.public().into()));
		assert!(aura.contains(&Bob.public().into()));
		assert_eq!(pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(), 2);
		let mut validators = vec![Alice.to_account_id(), Bob.to_account_id()];
		validators.sort();
		assert_eq!(pallet_validators::Validators::<Runtime>::get().into_inner(), validators);
		assert_eq!(pallet_session::Validators::<Runtime>::get(), validators);
		assert_eq!(Assets::balance(USDX, &Charlie.to_account_id()), STABLECOIN_ENDOWMENT);
	});
}

#[test]
fn local_genesis_has_a_three_member_council_and_no_sudo_key() {
	new_test_ext(LOCAL_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		let mut council = vec![Alice.to_account_id(), Bob.to_account_id(), Charlie.to_account_id()];
		council.sort();
		assert_eq!(
			pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get().into_inner(),
			council
		);
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(),
			council
		);
	});
}

#[test]
fn the_treasury_account_is_the_platform_account() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		assert_eq!(pallet_treasury::Pallet::<Runtime>::account_id(), PlatformAccount::get());
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(),
			vec![Alice.to_account_id()]
		);
	});
}

#[test]
fn native_transfer_moves_ent_between_accounts() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let amount = 25 * UNITS;
		assert_ok!(Balances::transfer_keep_alive(signed(Alice), bob.clone().into(), amount));
		assert_eq!(Balances::balance(&alice), ENDOWMENT - amount);
		assert_eq!(Balances::balance(&bob), ENDOWMENT + amount);
		System::assert_last_event(
			pallet_balances::Event::Transfer { from: alice, to: bob, amount }.into(),
		);
	});
}

#[test]
fn native_transfer_to_a_new_account_below_existential_deposit_fails() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let nobody: AccountId = [7u8; 32].into();
		assert_noop!(
			Balances::transfer_keep_alive(signed(Alice), nobody.into(), EXISTENTIAL_DEPOSIT - 1),
			sp_runtime::TokenError::BelowMinimum
		);
	});
}

#[test]
fn stablecoin_transfer_moves_usdx_between_accounts() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let (alice, bob) = (Alice.to_account_id(), Bob.to_account_id());
		let amount = 42 * STABLECOIN_UNIT;
		assert_ok!(Assets::transfer(signed(Alice), USDX.into(), bob.clone().into(), amount));
		assert_eq!(Assets::balance(USDX, &alice), STABLECOIN_ENDOWMENT - amount);
		assert_eq!(Assets::balance(USDX, &bob), STABLECOIN_ENDOWMENT + amount);
		assert_eq!(Assets::balance(CNYX, &bob), STABLECOIN_ENDOWMENT);
		System::assert_last_event(
			pallet_assets::Event::<Runtime>::Transferred {
				asset_id: USDX,
				from: alice,
				to: bob,
				amount,
			}
			.into(),
		);
	});
}

#[test]
fn stablecoin_transfer_of_unknown_asset_fails() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		assert_noop!(
			Assets::transfer(signed(Alice), 77u32.into(), Bob.to_account_id().into(), 1),
			pallet_assets::Error::<Runtime>::Unknown
		);
	});
}

#[test]
fn new_assets_get_ids_from_the_free_range() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		// Picking a platform id is refused; the next free id is accepted.
		assert!(Assets::create(signed(Bob), 3u32.into(), Bob.to_account_id().into(), 1).is_err());
		assert_ok!(Assets::create(
			signed(Bob),
			FIRST_FREE_ASSET_ID.into(),
			Bob.to_account_id().into(),
			1
		));
		assert_eq!(pallet_assets::NextAssetId::<Runtime>::get(), Some(FIRST_FREE_ASSET_ID + 1));
	});
}

#[test]
fn transfer_fee_is_a_small_fraction_of_an_order_and_goes_to_the_platform() {
	new_test_ext(DEV_PRESET).execute_with(|| {
		let call = RuntimeCall::Balances(BalancesCall::transfer_keep_alive {
			dest: Bob.to_account_id().into(),
			value: 20 * UNITS,
		});
		// A signed transfer is about 150 bytes on the wire.
		let fee = TransactionPayment::compute_fee(150, &call.get_dispatch_info(), 0);
		assert!(fee > 0);
		// Under 0.01 ENT, i.e. under 0.05% of a 20 ENT order.
		assert!(fee < 10 * MILLI_UNITS, "fee {fee} too high");

		// Fees are credited to the platform account, not burnt.
		let before = Balances::total_issuance();
		let info = call.get_dispatch_info();
		let alice = Alice.to_account_id();
		let liquidity = <FeeAdapter as OnChargeTransaction<Runtime>>::withdraw_fee(
			&alice, &call, &info, fee, 0,
		)
		.expect("Alice can pay");
		assert_ok!(<FeeAdapter as OnChargeTransaction<Runtime>>::correct_and_deposit_fee(
			&alice,
			&info,
			&Default::default(),
			fee,
			0,
			liquidity
		));
		assert_eq!(Balances::balance(&PlatformAccount::get()), EXISTENTIAL_DEPOSIT + fee);
		assert_eq!(Balances::total_issuance(), before);
	});
}

#[test]
fn ss58_prefix_and_token_constants_agree() {
	assert_eq!(SS58Prefix::get(), 42);
	assert_eq!(TOKEN_SYMBOL, "ENT");
	assert_eq!(TOKEN_DECIMALS, 12);
	assert_eq!(UNITS, 10u128.pow(TOKEN_DECIMALS as u32));
	assert_eq!(
		<Runtime as frame_system::Config>::SS58Prefix::get(),
		SS58Prefix::get(),
		"the runtime's prefix is the one the chain spec advertises"
	);
}

/// The payment core with the real runtime configuration: a USDX escrow order from checkout to
/// confirmation, held with `pallet-assets-holder` and paid out through the `UnionOf` adapters.
/// Has Bob register as a merchant taking USDX with a 10% holdback and an `after_sales`-block
/// after-sales window (governance first allows so short a window), and Charlie place a 65 USDX
/// escrow order with him (two items of 30 USDX and 5 USDX freight). Returns the order's id.
fn place_usdx_order(after_sales: BlockNumber) -> entrepot_primitives::OrderId {
	place_usdx_order_of(signed(Charlie), after_sales)
}

/// [`place_usdx_order`], by `customer` instead of Charlie.
fn place_usdx_order_of(
	customer: RuntimeOrigin,
	after_sales: BlockNumber,
) -> entrepot_primitives::OrderId {
	use entrepot_primitives::{NativeOrWithId, PaymentMode};
	use frame_support::BoundedVec;
	use pallet_orders::{LineItem, MerchantPolicy};
	use sp_runtime::Permill;

	let usdx = NativeOrWithId::WithId(USDX);
	let mut bounds = crate::configs::orders::DefaultPolicyBounds::get();
	bounds.after_sales_window.min = 1;
	assert_ok!(Orders::set_policy_bounds(RuntimeOrigin::root(), bounds));
	let policy = MerchantPolicy::<Runtime> {
		currencies: BoundedVec::truncate_from(vec![NativeOrWithId::Native, usdx.clone()]),
		ship_within: 2 * DAYS,
		auto_confirm_after: 10 * DAYS,
		refund_response_within: 2 * DAYS,
		return_window: 7 * DAYS,
		after_sales_window: after_sales,
		holdback: Permill::from_percent(10),
		loyalty_share: Permill::zero(),
	};
	assert_ok!(Orders::register_merchant(signed(Bob), policy));
	let items = BoundedVec::truncate_from(vec![LineItem {
		product: sp_core::H256::repeat_byte(1),
		quantity: 2,
		unit_price: 30 * STABLECOIN_UNIT,
	}]);
	let order_id = pallet_orders::NextOrderId::<Runtime>::get();
	assert_ok!(Orders::place_order(
		customer,
		Bob.to_account_id(),
		usdx,
		items,
		5 * STABLECOIN_UNIT,
		sp_core::H256::repeat_byte(2),
		None,
		PaymentMode::Escrow,
		sp_core::H256::from_low_u64_be(pallet_orders::NextOrderId::<Runtime>::get()),
	));
	order_id
}

/// Runs every pallet's hooks for the blocks up to `to`. Each block sets its timestamp, as the
/// block's inherent would (to slot 0: tests carry no Aura digest, so the current slot is 0).
fn run_to_block(to: BlockNumber) {
	System::run_to_block_with::<AllPalletsWithSystem>(
		to,
		frame_system::RunToBlockHooks::default()
			.before_finalize(|_| pallet_timestamp::Pallet::<Runtime>::set_timestamp(0)),
	);
}

#[test]
fn usdx_escrow_order_settles_to_merchant_minus_fee_and_holdback() {
	use entrepot_primitives::NativeOrWithId;

	new_test_ext(DEV_PRESET).execute_with(|| {
		let (customer, merchant) = (Charlie.to_account_id(), Bob.to_account_id());
		let usdx = NativeOrWithId::WithId(USDX);
		let after_sales = 5;
		let order_id = place_usdx_order(after_sales);
		let total = 65 * STABLECOIN_UNIT;
		// The money left the customer's account for the escrow account, held there.
		assert_eq!(Assets::balance(USDX, &customer), STABLECOIN_ENDOWMENT - total);
		assert_eq!(Escrow::total_locked(usdx.clone()), total);
		assert_eq!(
			<pallet_assets_holder::Pallet<Runtime> as frame_support::traits::fungibles::InspectHold<
				AccountId,
			>>::balance_on_hold(
				USDX,
				&pallet_escrow::HoldReason::Escrow.into(),
				&Escrow::account_id()
			),
			total
		);

		assert_ok!(Orders::mark_shipped(signed(Bob), order_id, sp_core::H256::repeat_byte(3)));
		assert_ok!(Orders::confirm_receipt(signed(Charlie), order_id));

		// Merchant: 90% of 65 USDX minus the 1% platform fee on it; the 10% holdback stays held.
		let holdback = 6_500_000;
		let gross = total - holdback;
		let fee = GENESIS_PLATFORM_FEE * gross;
		assert_eq!(fee, 585_000);
		assert_eq!(Assets::balance(USDX, &merchant), STABLECOIN_ENDOWMENT + gross - fee);
		assert_eq!(
			Assets::balance(USDX, &PlatformAccount::get()),
			STABLECOIN_MIN_BALANCE + PLATFORM_FLOAT_USDX + fee
		);
		assert_eq!(Escrow::total_locked(usdx.clone()), holdback);

		// The after-sales window closes: the holdback is paid, less its fee, by the chain.
		run_to_block(System::block_number() + after_sales);
		let holdback_fee = GENESIS_PLATFORM_FEE * holdback;
		assert_eq!(Escrow::total_locked(usdx), 0);
		assert_eq!(
			Assets::balance(USDX, &merchant),
			STABLECOIN_ENDOWMENT + total - fee - holdback_fee
		);
		// Merchant + customer + fee == what was paid, to the unit; nothing minted or burnt.
		assert_eq!(
			Assets::total_issuance(USDX),
			(sp_keyring::Sr25519Keyring::iter().count() as Balance) * STABLECOIN_ENDOWMENT
				+ 3 * STABLECOIN_MIN_BALANCE
				+ 2 * POOL_USDX
				+ PLATFORM_FLOAT_USDX
		);
		assert!(Orders::order(order_id).is_none(), "the settled order is archived");
	});
}

#[test]
fn an_arbitrated_usdx_dispute_pays_out_exactly_what_was_frozen() {
	use entrepot_primitives::{NativeOrWithId, PaymentMode};
	use frame_support::BoundedVec;
	use pallet_disputes::{DisputeKind, DisputeReason, Stage};
	use pallet_orders::LineItem;
	use sp_keyring::Sr25519Keyring::{Dave, Eve};

	new_test_ext(DEV_PRESET).execute_with(|| {
		let (customer, merchant, arbiter) =
			(Charlie.to_account_id(), Bob.to_account_id(), Eve.to_account_id());
		let usdx = NativeOrWithId::WithId(USDX);
		let policy = pallet_orders::MerchantPolicy::<Runtime> {
			currencies: BoundedVec::truncate_from(vec![usdx.clone()]),
			ship_within: 2 * DAYS,
			auto_confirm_after: 10 * DAYS,
			refund_response_within: 2 * DAYS,
			return_window: 7 * DAYS,
			after_sales_window: 7 * DAYS,
			holdback: sp_runtime::Permill::from_percent(10),
			loyalty_share: sp_runtime::Permill::zero(),
		};
		assert_ok!(Orders::register_merchant(signed(Bob), policy));
		let total = 40 * STABLECOIN_UNIT;
		let items = BoundedVec::truncate_from(vec![LineItem {
			product: sp_core::H256::repeat_byte(1),
			quantity: 1,
			unit_price: total,
		}]);
		assert_ok!(Orders::place_order(
			signed(Charlie),
			merchant.clone(),
			usdx.clone(),
			items,
			0,
			sp_core::H256::repeat_byte(2),
			None,
			PaymentMode::Escrow,
			sp_core::H256::from_low_u64_be(pallet_orders::NextOrderId::<Runtime>::get()),
		));
		assert_ok!(Orders::mark_shipped(signed(Bob), 0, sp_core::H256::repeat_byte(3)));

		// Sudo appoints one arbiter; the customer opens, the merchant escalates.
		assert_ok!(Disputes::add_arbiter(RuntimeOrigin::root(), arbiter.clone()));
		assert_noop!(
			Disputes::add_arbiter(signed(Dave), Dave.to_account_id()),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Disputes::open_dispute(
			signed(Charlie),
			0,
			DisputeKind::Agreement,
			DisputeReason::NotReceived,
			sp_core::H256::repeat_byte(4),
		));
		assert_eq!(Escrow::total_locked(usdx.clone()), total, "the escrow stays frozen");
		assert_ok!(Disputes::escalate(signed(Bob), 0));
		// The arbiter is drawn `DrawDelay` blocks later, from those blocks' hashes.
		let draw_at = System::block_number() + crate::configs::disputes::DrawDelay::get();
		run_to_block(draw_at - 1);
		assert!(matches!(
			Disputes::dispute(0).map(|d| d.stage),
			Some(Stage::AwaitingArbiter { .. })
		));
		run_to_block(draw_at);
		let next = draw_at;
		let Some(dispute) = Disputes::dispute(0) else { panic!("the dispute is open") };
		assert_eq!(
			dispute.stage,
			Stage::Arbitration { arbiter: arbiter.clone(), rule_by: next + 7 * DAYS }
		);

		// The arbiter gives 25 USDX back; nobody appeals; the ruling is executed.
		let (customer_before, merchant_before) =
			(Assets::balance(USDX, &customer), Assets::balance(USDX, &merchant));
		let platform_before = Assets::balance(USDX, &PlatformAccount::get());
		let arbiter_before = Balances::balance(&arbiter);
		assert_ok!(Disputes::rule(signed(Eve), 0, 25 * STABLECOIN_UNIT));
		let appeal_by = next + 3 * DAYS;
		run_to_block(appeal_by);
		assert!(Disputes::dispute(0).is_none(), "the dispute is resolved");
		let gross = total - 25 * STABLECOIN_UNIT;
		let fee = GENESIS_PLATFORM_FEE * gross;
		// The ruling favours the customer (25 of 40 back): the merchant's stake (5% of the
		// frozen 40 USDX) goes to the customer, its flat deposit to the arbiter and platform.
		let stake = 2 * STABLECOIN_UNIT;
		assert_eq!(
			Assets::balance(USDX, &customer) - customer_before,
			25 * STABLECOIN_UNIT + stake + stake
		);
		assert_eq!(Assets::balance(USDX, &merchant) - merchant_before, gross - fee);
		assert_eq!(Assets::balance(USDX, &PlatformAccount::get()) - platform_before, fee);
		assert_eq!(Escrow::total_locked(usdx), 0);
		assert!(Orders::order(0).is_none(), "the order is archived");
		// The merchant lost: its deposit paid the arbiter's fee; nothing is left on the
		// disputes account but its own minimum balance.
		assert_eq!(Balances::balance(&arbiter) - arbiter_before, Disputes::params().arbiter_fee);
		assert_eq!(Balances::balance(&Disputes::account_id()), EXISTENTIAL_DEPOSIT);
		assert_eq!(Assets::balance(USDX, &Disputes::account_id()), STABLECOIN_MIN_BALANCE);
		assert_eq!(
			<Balances as frame_support::traits::fungible::InspectHold<_>>::total_balance_on_hold(
				&merchant
			),
			crate::configs::orders::MerchantDeposit::get()
		);
	});
}

#[test]
fn genesis_creates_the_loyalty_token_administered_by_the_loyalty_pallet() {
	use crate::configs::loyalty::{LOY, LOYALTY_DECIMALS, LOYALTY_MIN_BALANCE, LOYALTY_TOKEN};
	use frame_support::traits::{
		fungibles::{metadata::Inspect as MetadataInspect, roles::Inspect},
		tokens::{DepositConsequence, Provenance},
	};
	for preset in [DEV_PRESET, LOCAL_PRESET] {
		new_test_ext(preset).execute_with(|| {
			let loyalty = Loyalty::account_id();
			assert_eq!(<Assets as Inspect<AccountId>>::admin(LOYALTY_TOKEN), Some(loyalty.clone()));
			assert_eq!(<Assets as Inspect<AccountId>>::owner(LOYALTY_TOKEN), Some(loyalty));
			assert_eq!(
				<Assets as MetadataInspect<AccountId>>::symbol(LOYALTY_TOKEN),
				b"LOY".to_vec()
			);
			assert_eq!(
				<Assets as MetadataInspect<AccountId>>::decimals(LOYALTY_TOKEN),
				LOYALTY_DECIMALS
			);
			assert_eq!(Assets::total_issuance(LOYALTY_TOKEN), 0);
			// Sufficient, with a minimum worth about the stablecoins': an account that holds
			// nothing else can receive it, but not less than the minimum.
			assert_eq!(Assets::minimum_balance(LOYALTY_TOKEN), LOYALTY_MIN_BALANCE);
			assert_eq!(LOYALTY_MIN_BALANCE, LOY / 100);
			let details = pallet_assets::Asset::<Runtime>::get(LOYALTY_TOKEN).expect("created");
			assert!(details.is_sufficient);
			let nobody = AccountId::from([13u8; 32]);
			assert_eq!(
				Assets::can_deposit(LOYALTY_TOKEN, &nobody, LOY, Provenance::Minted),
				DepositConsequence::Success
			);
			assert_eq!(
				Assets::can_deposit(
					LOYALTY_TOKEN,
					&nobody,
					LOYALTY_MIN_BALANCE - 1,
					Provenance::Minted
				),
				DepositConsequence::BelowMinimum
			);
			let usdx = entrepot_primitives::NativeOrWithId::WithId(USDX);
			assert!(Loyalty::currency_rate(usdx).is_some(), "USDX orders earn LOY");
		});
	}
}

#[test]
fn the_loyalty_migration_makes_loy_sufficient_once() {
	use crate::configs::loyalty::{LOY, LOYALTY_MIN_BALANCE, LOYALTY_TOKEN};
	use frame_support::traits::{
		fungibles::{roles::Inspect as Roles, Mutate},
		tokens::{DepositConsequence, Provenance},
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	};

	new_test_ext(DEV_PRESET).execute_with(|| {
		// The state the previous runtime left: LOY not sufficient, minimum balance 1, the
		// loyalty pallet at v0. A fresh account could not receive it.
		let loyalty = Loyalty::account_id();
		assert_ok!(Assets::force_asset_status(
			RuntimeOrigin::root(),
			LOYALTY_TOKEN.into(),
			loyalty.clone().into(),
			loyalty.clone().into(),
			loyalty.clone().into(),
			loyalty.clone().into(),
			1,
			false,
			false,
		));
		StorageVersion::new(0).put::<Loyalty>();
		let fresh = AccountId::from([14u8; 32]);
		assert_eq!(
			Assets::can_deposit(LOYALTY_TOKEN, &fresh, LOY, Provenance::Minted),
			DepositConsequence::CannotCreate
		);

		<crate::Migrations as OnRuntimeUpgrade>::on_runtime_upgrade();
		assert_eq!(Loyalty::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(Assets::minimum_balance(LOYALTY_TOKEN), LOYALTY_MIN_BALANCE);
		assert!(pallet_assets::Asset::<Runtime>::get(LOYALTY_TOKEN).expect("kept").is_sufficient);
		for role in [
			<Assets as Roles<AccountId>>::owner(LOYALTY_TOKEN),
			<Assets as Roles<AccountId>>::issuer(LOYALTY_TOKEN),
			<Assets as Roles<AccountId>>::admin(LOYALTY_TOKEN),
			<Assets as Roles<AccountId>>::freezer(LOYALTY_TOKEN),
		] {
			assert_eq!(role, Some(loyalty.clone()), "the roles are kept");
		}
		assert_eq!(Assets::total_issuance(LOYALTY_TOKEN), 0, "the supply is kept");
		// A brand-new account, with no ENT and no other asset, now receives LOY.
		assert_eq!(Balances::total_balance(&fresh), 0);
		assert_ok!(<Assets as Mutate<AccountId>>::mint_into(LOYALTY_TOKEN, &fresh, LOY));
		assert_eq!(Assets::balance(LOYALTY_TOKEN, &fresh), LOY);
		assert_eq!(System::sufficients(&fresh), 1);

		// Once only: at v1 it changes nothing.
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		<crate::Migrations as OnRuntimeUpgrade>::on_runtime_upgrade();
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		assert_eq!(Loyalty::on_chain_storage_version(), StorageVersion::new(1));
	});
}

#[test]
fn a_customer_who_never_held_ent_earns_and_holds_loy() {
	use crate::configs::loyalty::LOYALTY_TOKEN;

	new_test_ext(DEV_PRESET).execute_with(|| {
		// A fresh account that receives only USDX buys from Bob: its order deposit is held in
		// USDX.
		let who = AccountId::from([11u8; 32]);
		assert_ok!(Assets::transfer_keep_alive(
			signed(Alice),
			USDX.into(),
			who.clone().into(),
			1_000 * STABLECOIN_UNIT
		));
		let after_sales = 5;
		let order_id = place_usdx_order_of(RuntimeOrigin::signed(who.clone()), after_sales);
		assert_ok!(Orders::mark_shipped(signed(Bob), order_id, sp_core::H256::repeat_byte(3)));
		assert_ok!(Orders::confirm_receipt(RuntimeOrigin::signed(who.clone()), order_id));
		assert_ok!(Loyalty::review(
			RuntimeOrigin::signed(who.clone()),
			order_id,
			5,
			sp_core::H256::repeat_byte(4)
		));
		// Half the 1% fee on the 58.5 USDX released: 0.2925 LOY.
		let reward = Loyalty::pending_reward(order_id).expect("the reward is pending").reward;
		assert_eq!(reward, 292_500);

		// The after-sales window closes: the reward is minted to an account without ENT.
		run_to_block(System::block_number() + after_sales);
		assert!(Loyalty::pending_reward(order_id).is_none());
		assert_eq!(Assets::balance(LOYALTY_TOKEN, &who), reward);
		assert_eq!(Balances::total_balance(&who), 0, "the customer never held ENT");
		Loyalty::do_try_state().expect("loyalty invariants hold");
		Orders::do_try_state().expect("orders invariants hold");
	});
}

#[test]
fn a_reviewed_usdx_order_earns_loy_when_its_after_sales_window_closes() {
	use crate::configs::loyalty::LOYALTY_TOKEN;

	new_test_ext(DEV_PRESET).execute_with(|| {
		let customer = Charlie.to_account_id();
		let after_sales = 5;
		let order_id = place_usdx_order(after_sales);
		assert_ok!(Orders::mark_shipped(signed(Bob), order_id, sp_core::H256::repeat_byte(3)));
		assert_ok!(Orders::confirm_receipt(signed(Charlie), order_id));
		assert_ok!(Loyalty::review(signed(Charlie), order_id, 5, sp_core::H256::repeat_byte(4)));

		// Genesis rate for USDX: 2% at 1 LOY per USDX would be 1.3 LOY for 65 USDX, but a
		// reward is worth at most half the platform fees the order paid at confirmation: 1% of
		// the 58.5 USDX released (the 10% holdback is not paid yet), 0.585 USDX, so 0.2925 LOY.
		let reward = 292_500;
		let pending = Loyalty::pending_reward(order_id).expect("the reward is pending");
		assert_eq!(pending.reward, reward);
		assert_eq!(Assets::balance(LOYALTY_TOKEN, &customer), 0);
		assert_eq!(Loyalty::reputation(Bob.to_account_id()).count, 1);

		// The after-sales window closes: orders archives the order, then loyalty mints.
		run_to_block(System::block_number() + after_sales);
		assert!(Orders::order(order_id).is_none(), "the settled order is archived");
		assert_eq!(Assets::balance(LOYALTY_TOKEN, &customer), reward);
		assert_eq!(Assets::total_issuance(LOYALTY_TOKEN), reward);
		assert!(Loyalty::pending_reward(order_id).is_none());
	});
}

/// Bob registers as a merchant who accepts only USDX, with no holdback.
fn bob_accepts_only_usdx() {
	let policy = pallet_orders::MerchantPolicy::<Runtime> {
		currencies: frame_support::BoundedVec::truncate_from(vec![
			entrepot_primitives::NativeOrWithId::WithId(USDX),
		]),
		ship_within: 2 * DAYS,
		auto_confirm_after: 10 * DAYS,
		refund_response_within: 2 * DAYS,
		return_window: 7 * DAYS,
		after_sales_window: 2 * DAYS,
		holdback: sp_runtime::Permill::zero(),
		loyalty_share: sp_runtime::Permill::zero(),
	};
	assert_ok!(Orders::register_merchant(signed(Bob), policy));
}

/// One line item of `price`.
fn one_item(
	price: Balance,
) -> frame_support::BoundedVec<pallet_orders::LineItem, <Runtime as pallet_orders::Config>::MaxItems>
{
	frame_support::BoundedVec::truncate_from(vec![pallet_orders::LineItem {
		product: sp_core::H256::repeat_byte(1),
		quantity: 1,
		unit_price: price,
	}])
}

#[test]
fn a_cnyx_customer_pays_a_usdx_merchant_through_the_genesis_pools() {
	use entrepot_primitives::{CurrencyId, NativeOrWithId};
	use pallet_asset_conversion::PoolLocator;

	new_test_ext(DEV_PRESET).execute_with(|| {
		run_to_block(1);
		let (customer, merchant) = (Charlie.to_account_id(), Bob.to_account_id());
		let (usdx, cnyx) = (NativeOrWithId::WithId(USDX), NativeOrWithId::WithId(CNYX));
		bob_accepts_only_usdx();
		let total = 100 * STABLECOIN_UNIT;
		let quote = Orders::quote(cnyx.clone(), usdx.clone(), total).expect("the pools quote");
		// About 7 CNYX a USDX, plus the pool's fee.
		assert!(quote.pay_amount > 700 * STABLECOIN_UNIT);
		assert!(quote.pay_amount < 703 * STABLECOIN_UNIT);
		let pools = |c: &CurrencyId| -> Balance {
			[
				(usdx.clone(), cnyx.clone()),
				(CurrencyId::Native, cnyx.clone()),
				(CurrencyId::Native, usdx.clone()),
			]
			.iter()
			.map(|(a, b)| {
				let pool =
					<Runtime as pallet_asset_conversion::Config>::PoolLocator::pool_address(a, b)
						.expect("a pool");
				<crate::configs::orders::NativeAndAssets as frame_support::traits::fungibles::Inspect<_>>::balance(
					c.clone(),
					&pool,
				)
			})
			.sum()
		};
		let (pools_cnyx, pools_usdx) = (pools(&cnyx), pools(&usdx));
		let cnyx_before = Assets::balance(CNYX, &customer);
		let usdx_before = Assets::balance(USDX, &customer);
		let items = one_item(total);
		let reference = sp_core::H256::repeat_byte(0x42);
		let place = |max_pay| {
			Orders::place_order_exchanged(
				signed(Charlie),
				merchant.clone(),
				usdx.clone(),
				items.clone(),
				0,
				sp_core::H256::repeat_byte(2),
				None,
				reference,
				cnyx.clone(),
				max_pay,
				quote.expires_at,
			)
		};
		assert_noop!(
			place(quote.pay_amount - 1),
			pallet_orders::Error::<Runtime>::PriceAboveMaximum
		);
		assert_ok!(place(quote.pay_amount));
		assert_noop!(place(quote.pay_amount), pallet_orders::Error::<Runtime>::DuplicateReference);

		// What the customer paid, the pools received; what escrow holds, the pools paid out.
		assert_eq!(Assets::balance(CNYX, &customer), cnyx_before - quote.pay_amount);
		assert_eq!(Assets::balance(USDX, &customer), usdx_before);
		assert_eq!(pools(&cnyx) - pools_cnyx, quote.pay_amount);
		assert_eq!(pools_usdx - pools(&usdx), total);
		assert_eq!(Escrow::total_locked(usdx.clone()), total);
		let (order_id, order) = Orders::order_by_reference(merchant.clone(), reference).unwrap();
		assert_eq!(
			order.exchange.map(|c| (c.currency, c.paid)),
			Some((cnyx.clone(), quote.pay_amount))
		);

		// A full refund returns exactly what was paid, in CNYX; the platform bears the pools'
		// fee of selling the USDX back.
		let platform_cnyx = Assets::balance(CNYX, &PlatformAccount::get());
		assert_ok!(Orders::cancel_order(signed(Charlie), order_id));
		assert_eq!(Assets::balance(CNYX, &customer), cnyx_before);
		assert_eq!(Assets::balance(USDX, &customer), usdx_before);
		assert!(Assets::balance(CNYX, &PlatformAccount::get()) < platform_cnyx);
		assert_eq!(Escrow::total_locked(usdx), 0);
		Orders::do_try_state().expect("orders invariants hold");
		Escrow::do_try_state().expect("escrow invariants hold");
	});
}

#[test]
fn a_customer_who_never_held_ent_opens_a_dispute_with_its_deposit_in_cnyx() {
	use entrepot_primitives::NativeOrWithId;
	use pallet_disputes::{Deposit, DisputeKind, DisputeReason};

	new_test_ext(DEV_PRESET).execute_with(|| {
		run_to_block(1);
		// A fresh account that receives only CNYX buys from BOB, who accepts only USDX.
		let who = AccountId::from([9u8; 32]);
		assert_ok!(Assets::transfer_keep_alive(
			signed(Alice),
			CNYX.into(),
			who.clone().into(),
			2_000 * STABLECOIN_UNIT
		));
		let (usdx, cnyx) = (NativeOrWithId::WithId(USDX), NativeOrWithId::WithId(CNYX));
		let merchant = Bob.to_account_id();
		bob_accepts_only_usdx();
		let total = 100 * STABLECOIN_UNIT;
		let quote = Orders::quote(cnyx.clone(), usdx.clone(), total).expect("the pools quote");
		let reference = sp_core::H256::repeat_byte(0x43);
		let before = Assets::balance(CNYX, &who);
		assert_ok!(Orders::place_order_exchanged(
			RuntimeOrigin::signed(who.clone()),
			merchant.clone(),
			usdx.clone(),
			one_item(total),
			0,
			sp_core::H256::repeat_byte(2),
			None,
			reference,
			cnyx.clone(),
			quote.pay_amount,
			quote.expires_at,
		));
		let (order_id, _) = Orders::order_by_reference(merchant.clone(), reference).unwrap();
		assert_ok!(Orders::mark_shipped(signed(Bob), order_id, sp_core::H256::repeat_byte(3)));

		// The customer opens the dispute: no ENT, no USDX, so the whole deposit is held in
		// CNYX, each part at its reference value.
		let dispute_id = pallet_disputes::NextDisputeId::<Runtime>::get();
		assert_ok!(Disputes::open_dispute(
			RuntimeOrigin::signed(who.clone()),
			order_id,
			DisputeKind::Agreement,
			DisputeReason::NotReceived,
			sp_core::H256::repeat_byte(4),
		));
		let dispute = Disputes::dispute(dispute_id).expect("open");
		assert_eq!(dispute.reference, reference);
		let stated = dispute.party_deposit();
		let expected = Deposit {
			native: Exchange::reference_value(&NativeOrWithId::Native, &cnyx, stated.native)
				.expect("CNYX has a rate"),
			stake: Exchange::reference_value(&usdx, &cnyx, stated.stake).expect("rates"),
			held_in: Some(cnyx.clone()),
		};
		assert!(expected.native > 0 && expected.stake > 0);
		assert_eq!(dispute.customer_deposit, expected);
		assert_eq!(Balances::total_balance(&who), 0, "the customer never held ENT");

		// BOB proposes half back and the customer accepts: her deposit comes back in CNYX, and
		// the refund at the rate she paid.
		assert_ok!(Disputes::propose_settlement(signed(Bob), dispute_id, total / 2));
		assert_ok!(Disputes::accept_settlement(RuntimeOrigin::signed(who.clone()), dispute_id));
		assert!(Disputes::dispute(dispute_id).is_none());
		assert_eq!(Assets::balance(CNYX, &who), before - quote.pay_amount + quote.pay_amount / 2);
		assert_eq!(Balances::total_balance(&who), 0, "the customer never held ENT");
		Disputes::do_try_state().expect("disputes invariants hold");
		Orders::do_try_state().expect("orders invariants hold");
		Escrow::do_try_state().expect("escrow invariants hold");
	});
}

#[test]
fn an_account_without_ent_pays_fees_in_cnyx_within_the_reference_bound() {
	use crate::configs::fees::{FeeAsset, FeeAssetInterior, StablecoinFees};
	use entrepot_primitives::CurrencyId;
	use frame_support::dispatch::GetDispatchInfo;
	use pallet_asset_conversion_tx_payment::OnChargeAssetTransaction;

	new_test_ext(DEV_PRESET).execute_with(|| {
		run_to_block(1);
		// A fresh account that receives only CNYX.
		let who = AccountId::from([7u8; 32]);
		assert_ok!(Assets::transfer_keep_alive(
			signed(Alice),
			CNYX.into(),
			who.clone().into(),
			1_000 * STABLECOIN_UNIT
		));
		assert_eq!(Balances::total_balance(&who), 0);
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let info = call.get_dispatch_info();
		let cnyx = CurrencyId::WithId(CNYX);
		let fee = 3 * MILLI_UNITS;
		let (platform_ent, issuance) =
			(Balances::balance(&PlatformAccount::get()), Balances::total_issuance());
		let (supply, before) = (Assets::total_issuance(CNYX), Assets::balance(CNYX, &who));
		let cost = Exchange::fee_in(&cnyx, fee).expect("within the bound");
		// 0.003 ENT is about 0.0105 CNYX at 2/7 ENT a CNYX, plus the pool's 0.3%.
		assert!(cost >= 10_500 && cost <= Exchange::fee_bound(&cnyx, fee).unwrap(), "{cost}");

		let charge =
			|fee| StablecoinFees::withdraw_fee(&who, &call, &info, FeeAsset::asset(CNYX), fee, 0);
		let liquidity = charge(fee).expect("the account can pay in CNYX");
		let paid = StablecoinFees::correct_and_deposit_fee(
			&who,
			&info,
			&Default::default(),
			fee,
			0,
			FeeAsset::asset(CNYX),
			liquidity,
		)
		.expect("the fee is settled");
		assert_eq!(paid, cost);
		assert_eq!(Assets::balance(CNYX, &who), before - cost);
		assert_eq!(Balances::balance(&PlatformAccount::get()), platform_ent + fee);
		assert_eq!(Balances::total_balance(&who), 0, "no ENT account was created");
		assert_eq!((Balances::total_issuance(), Assets::total_issuance(CNYX)), (issuance, supply));

		// Charged for more than the call used: the unused ENT is swapped back into CNYX.
		let before = Assets::balance(CNYX, &who);
		let liquidity = charge(10 * fee).expect("can pay");
		let paid = StablecoinFees::correct_and_deposit_fee(
			&who,
			&info,
			&Default::default(),
			fee,
			0,
			FeeAsset::asset(CNYX),
			liquidity,
		)
		.expect("settled");
		assert_eq!(Assets::balance(CNYX, &who), before - paid);
		assert!(paid < 2 * cost, "most of the overcharge came back: paid {paid}");

		// Locations that name no currency are refused.
		let elsewhere = FeeAsset { parents: 1, interior: FeeAssetInterior::Here };
		for asset in [elsewhere, FeeAsset::asset(77)] {
			assert!(StablecoinFees::withdraw_fee(&who, &call, &info, asset, fee, 0).is_err());
		}

		// A sandwich: Alice buys ENT with 90 000 CNYX, pushing ENT's price in CNYX about 5.2%
		// up; the fee swap would cost more than 5% above the reference value, so it is
		// refused and nothing is charged.
		assert_ok!(AssetConversion::swap_exact_tokens_for_tokens(
			signed(Alice),
			vec![Box::new(cnyx.clone()), Box::new(CurrencyId::Native)],
			90_000 * STABLECOIN_UNIT,
			1,
			Alice.to_account_id(),
			false
		));
		let before = Assets::balance(CNYX, &who);
		assert!(charge(fee).is_err());
		assert_eq!(Assets::balance(CNYX, &who), before);
		assert_eq!(Exchange::fee_in(&cnyx, fee), None);
	});
}
