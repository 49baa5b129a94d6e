"""Services: the key account workflows, run through the ports.

Each function takes the ports it needs (a unit of work, an id source...) as
arguments, does one unit of work and stores everything or nothing. The domain
packages (pricing, contracts, ...) stay free of storage; this layer joins them to
it. Workflow 1 (renewal) is in ``docs/contracts.md``, workflow 2 (upsell) in
``docs/opportunities.md``, workflow 3 (custom pricing) in ``docs/pricing.md``,
workflow 4 (loyalty) in ``docs/loyalty.md``.
"""

from kamcore.services._loyalty import (
    end_tier_override,
    enrol,
    membership_of,
    override_tier,
    tier_report,
    what_to_spend,
)
from kamcore.services._loyalty_redemption import (
    redeem_at_invoicing,
    release_points,
    reserve_points,
)
from kamcore.services._loyalty_runs import (
    LoyaltyRun,
    LoyaltyUpdate,
    post_invoice,
    run_loyalty_day,
)
from kamcore.services._opportunities import (
    close_opportunity,
    create_opportunity,
    open_opportunity_review,
    record_meeting,
    update_opportunity,
)
from kamcore.services._overdue import (
    OverdueCheck,
    OverdueInvoice,
    daily_overdue_check,
    find_overdue,
)
from kamcore.services._pricing import (
    add_negotiated_prices,
    assign_price_list,
    create_client_price_list,
    invoice_client,
    load_pricing_index,
)
from kamcore.services._proposals import (
    catalogue_index,
    convert_proposal_to_order,
    create_proposal,
    decide_proposal,
    revise_proposal,
    send_proposal,
)
from kamcore.services._renewal_case import analyse_renewal_case, open_renewal_case
from kamcore.services._renewal_close import (
    amend_renewed_contract,
    archive_renewal,
    lapse_renewal_cases,
    sign_renewal,
)
from kamcore.services._renewal_proposal import (
    decide_renewal,
    propose_renewal,
    send_renewal_proposal,
)
from kamcore.services._renewals import (
    RenewalRun,
    SkippedContract,
    SkipReason,
    receive_termination_notice,
    record_alert_action,
    run_renewal_scheduler,
)
from kamcore.services._routine import (
    WeeklyReport,
    load_portfolio_state,
    weekly_report,
)
from kamcore.services._upsell import UpsellRun, suggest_upsell
from kamcore.services._views import account_360, client_portal

__all__ = [
    "LoyaltyRun",
    "LoyaltyUpdate",
    "OverdueCheck",
    "OverdueInvoice",
    "RenewalRun",
    "SkipReason",
    "SkippedContract",
    "UpsellRun",
    "WeeklyReport",
    "account_360",
    "add_negotiated_prices",
    "amend_renewed_contract",
    "analyse_renewal_case",
    "archive_renewal",
    "assign_price_list",
    "catalogue_index",
    "client_portal",
    "close_opportunity",
    "convert_proposal_to_order",
    "create_client_price_list",
    "create_opportunity",
    "create_proposal",
    "daily_overdue_check",
    "decide_proposal",
    "decide_renewal",
    "end_tier_override",
    "enrol",
    "find_overdue",
    "invoice_client",
    "lapse_renewal_cases",
    "load_portfolio_state",
    "load_pricing_index",
    "membership_of",
    "open_opportunity_review",
    "open_renewal_case",
    "override_tier",
    "post_invoice",
    "propose_renewal",
    "receive_termination_notice",
    "record_alert_action",
    "record_meeting",
    "redeem_at_invoicing",
    "release_points",
    "reserve_points",
    "revise_proposal",
    "run_loyalty_day",
    "run_renewal_scheduler",
    "send_proposal",
    "send_renewal_proposal",
    "sign_renewal",
    "suggest_upsell",
    "tier_report",
    "update_opportunity",
    "weekly_report",
    "what_to_spend",
]
