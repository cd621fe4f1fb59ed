"""The demo agency's campaign plan as plain data, loaded by `manage.py seed_demo`.

Dates are day offsets from the workspace's today, so the demo always looks alive: some
work is done, some has slipped against its baseline, some is overdue or at risk. A
milestone's `slip` is how many days it moved after it was planned (baseline = due - slip);
a deliverable's `status` is reached through the review cycle, and `note` is the reviewer's
request when its status is `changes_requested`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

WORKSPACE = {"name": "Northwind Creative", "slug": "northwind-creative", "tz": "Europe/London"}
PASSWORD = "milestones-demo"

# username → (first name, last name, role); the first one creates the workspace.
PEOPLE = {
    "olivia": ("Olivia", "Hart", "owner"),
    "manager": ("Maya", "Patel", "manager"),
    "sam": ("Sam", "Okafor", "member"),
    "lena": ("Lena", "Fischer", "member"),
    "client": ("Chris", "Dawson", "viewer"),
}
MANAGER_LOGIN = "manager"
STAKEHOLDER_LOGIN = "client"
# The agency owner also administers the installation (Django admin at /admin/).
ADMIN_LOGIN = "olivia"

CLIENTS = {
    "fjordline": ("Fjordline Outdoor", "marketing@fjordline.example.com"),
    "copper": ("Copper Kettle Bakery", "hello@copperkettle.example.com"),
    "brightwater": ("Brightwater Yoga Studios", "studio@brightwater.example.com"),
}


@dataclass(frozen=True)
class DemoDeliverable:
    title: str
    kind: str
    status: str = "not_started"
    owner: str = "sam"
    checklist: tuple[tuple[str, bool], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DemoMilestone:
    key: str
    title: str
    category: str
    phase: int
    due: int
    status: str = "planned"
    owner: str = "manager"
    slip: int = 0
    slip_reason: str = ""
    success_criteria: str = ""
    kpi: tuple[str, Decimal, Decimal | None, str] | None = None
    depends_on: tuple[str, ...] = ()
    deliverables: tuple[DemoDeliverable, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DemoProject:
    name: str
    client: str
    kind: str
    description: str
    objective: str
    start: int
    target: int
    budget_planned: Decimal
    budget_spent: Decimal
    # (name, start offset, end offset), in order.
    phases: tuple[tuple[str, int, int], ...]
    milestones: tuple[DemoMilestone, ...]
    # (author, health, summary, days ago), oldest first.
    status_updates: tuple[tuple[str, str, str, int], ...] = field(default=())


D = DemoDeliverable
M = DemoMilestone

PROJECTS = (
    DemoProject(
        name="Ridgeback 2 trail jacket launch",
        client="fjordline",
        kind="product_launch",
        description="Launch of the second-generation Ridgeback waterproof trail jacket in the "
        "UK and Nordics: pre-orders, launch film, retail partners and press.",
        objective="5,000 waitlist sign-ups before launch and 2,500 jackets sold in launch week.",
        start=-70,
        target=45,
        budget_planned=Decimal("85000"),
        budget_spent=Decimal("41200"),
        phases=(
            ("Strategy and positioning", -70, -36),
            ("Creative production", -35, 5),
            ("Launch", 6, 25),
            ("Post-launch", 26, 45),
        ),
        milestones=(
            M(
                "brief",
                "Positioning and creative brief signed off",
                "campaign_checkpoint",
                0,
                -55,
                status="completed",
                success_criteria="Client signs off one positioning line and the creative brief.",
                deliverables=(
                    D(
                        "Creative brief",
                        "copy",
                        "delivered",
                        owner="manager",
                        checklist=(
                            ("Audience personas agreed", True),
                            ("Single-minded proposition", True),
                            ("Mandatories and legal lines", True),
                        ),
                    ),
                    D("Competitor teardown", "report", "approved", owner="lena"),
                ),
            ),
            M(
                "media",
                "Media plan approved",
                "campaign_checkpoint",
                0,
                -40,
                status="completed",
                slip=5,
                slip_reason="Client asked to move 20% of the budget from print to paid social.",
                depends_on=("brief",),
                deliverables=(D("Paid media plan and flighting", "report", "delivered"),),
            ),
            M(
                "film",
                "Launch film and product photography locked",
                "campaign_checkpoint",
                1,
                -4,
                status="in_progress",
                owner="lena",
                slip=8,
                slip_reason="Storm warnings on the fells pushed the mountain shoot back a week.",
                depends_on=("brief",),
                deliverables=(
                    D("60-second launch film", "video", "in_review", owner="lena"),
                    D("Product photography set", "creative_asset", "approved", owner="lena"),
                    D(
                        "Social cut-downs (6s and 15s)",
                        "video",
                        "changes_requested",
                        owner="lena",
                        note="Open on the jacket, not the landscape; the logo must show by 2s.",
                    ),
                ),
                comments=(
                    ("lena", "Grade is done; sound mix lands tomorrow morning."),
                    ("manager", "Client wants the 15s cut first for the pre-order push."),
                ),
            ),
            M(
                "preorder",
                "Pre-order landing page live",
                "launch",
                1,
                2,
                status="in_progress",
                owner="sam",
                success_criteria="Page live in UK and Nordic stores with size guide and waitlist.",
                kpi=("Waitlist sign-ups", Decimal("5000"), Decimal("3120"), "sign-ups"),
                depends_on=("media",),
                deliverables=(
                    D(
                        "Pre-order landing page",
                        "landing_page",
                        "in_progress",
                        checklist=(
                            ("Hero copy and product story", True),
                            ("Hero image from the studio shoot", True),
                            ("Interactive size guide", False),
                            ("Analytics and consent tagging", False),
                        ),
                    ),
                    D("Waitlist welcome email sequence", "email", "in_review"),
                ),
            ),
            M(
                "launch",
                "Launch day",
                "launch",
                2,
                12,
                success_criteria="Jacket on sale everywhere at 09:00; press embargo lifts.",
                kpi=("Units sold in launch week", Decimal("2500"), None, "jackets"),
                depends_on=("film", "preorder"),
                deliverables=(
                    D("Launch press release", "copy", owner="manager"),
                    D("Influencer seeding kit", "creative_asset", "in_progress", owner="lena"),
                    D("Launch ad sets (Meta, TikTok)", "ad_set"),
                ),
            ),
            M(
                "first-1000",
                "First 1,000 jackets sold",
                "sales_target",
                3,
                30,
                kpi=("Jackets sold", Decimal("1000"), Decimal("0"), "jackets"),
                depends_on=("launch",),
                deliverables=(D("Weekly sales dashboard", "report"),),
            ),
            M(
                "reviews",
                "200 trail-tester reviews published",
                "customer",
                3,
                40,
                owner="sam",
                kpi=("Verified reviews", Decimal("200"), Decimal("0"), "reviews"),
                depends_on=("launch",),
                deliverables=(D("Post-purchase review request email", "email"),),
            ),
            M(
                "award",
                "Outdoor Gear Awards entry submitted",
                "award",
                3,
                44,
                deliverables=(D("Award entry write-up and photography", "copy", owner="lena"),),
            ),
        ),
        status_updates=(
            ("manager", "on_track", "Brief and media plan signed off; production under way.", 30),
            (
                "manager",
                "at_risk",
                "The shoot slipped a week, so the film is late and holds up launch assets. "
                "Pre-order page is due in two days with the size guide still open.",
                1,
            ),
        ),
    ),
    DemoProject(
        name="Black Friday & Cyber Monday",
        client="fjordline",
        kind="seasonal",
        description="Peak-weekend campaign across web, email and paid social for Fjordline's "
        "winter range, with an early-access list for loyal customers.",
        objective="£600k online revenue over the peak weekend at a blended margin above 38%.",
        start=-50,
        target=12,
        budget_planned=Decimal("120000"),
        budget_spent=Decimal("96500"),
        phases=(
            ("Offers and planning", -50, -26),
            ("Build", -25, -3),
            ("Peak weekend", -2, 6),
            ("Wrap-up", 7, 12),
        ),
        milestones=(
            M(
                "offers",
                "Offer strategy and discount ladder agreed",
                "campaign_checkpoint",
                0,
                -38,
                status="completed",
                success_criteria="Merchandising and finance sign the discount ladder per category.",
                deliverables=(D("Offer matrix", "report", "delivered", owner="manager"),),
            ),
            M(
                "vip-list",
                "Early-access list reaches 20,000 subscribers",
                "customer",
                1,
                -6,
                status="in_progress",
                owner="sam",
                slip=6,
                slip_reason="Legal changed the sign-up incentive; the pop-up went live late.",
                kpi=("Early-access subscribers", Decimal("20000"), Decimal("16450"), "people"),
                depends_on=("offers",),
                deliverables=(
                    D("Early-access sign-up pop-up", "landing_page", "delivered"),
                    D(
                        "Refer-a-friend incentive email",
                        "email",
                        "changes_requested",
                        note="Terms must say the voucher can't be combined with other offers.",
                    ),
                ),
            ),
            M(
                "gift-guide",
                "Winter gift guide published",
                "content_seo",
                1,
                -4,
                status="completed",
                owner="lena",
                kpi=("Organic sessions to the guide", Decimal("15000"), Decimal("17800"), "visits"),
                deliverables=(
                    D(
                        "Winter gift guide article",
                        "copy",
                        "delivered",
                        owner="lena",
                        checklist=(
                            ("Twelve products with stock checked", True),
                            ("Internal links to category pages", True),
                            ("Meta title and description", True),
                        ),
                    ),
                    D("SEO keyword map", "report", "approved", owner="lena"),
                ),
            ),
            M(
                "trafficked",
                "Creative and ad sets trafficked",
                "campaign_checkpoint",
                1,
                1,
                status="blocked",
                owner="sam",
                success_criteria="Every ad set approved in platform with final prices.",
                deliverables=(
                    D("Black Friday ad sets", "ad_set", "in_review"),
                    D("Homepage takeover banners", "creative_asset", "in_progress", owner="lena"),
                ),
                comments=(("sam", "Blocked until merchandising confirms the final prices."),),
            ),
            M(
                "black-friday",
                "Black Friday doors open",
                "seasonal_peak",
                2,
                2,
                status="in_progress",
                kpi=("Black Friday online revenue", Decimal("250000"), None, "GBP"),
                depends_on=("trafficked",),
                deliverables=(
                    D("Countdown email sequence (3 sends)", "email", "approved"),
                    D("Site load-test sign-off", "software", "in_review", owner="manager"),
                ),
            ),
            M(
                "cyber-monday",
                "Cyber Monday flash deals",
                "seasonal_peak",
                2,
                5,
                kpi=("Cyber Monday online revenue", Decimal("180000"), None, "GBP"),
                depends_on=("black-friday",),
                deliverables=(D("Flash-deal emails", "email"),),
            ),
            M(
                "peak-target",
                "Peak weekend revenue target",
                "sales_target",
                2,
                6,
                kpi=("Peak weekend online revenue", Decimal("600000"), Decimal("0"), "GBP"),
                depends_on=("black-friday", "cyber-monday"),
            ),
            M(
                "peak-report",
                "Post-peak results report",
                "campaign_checkpoint",
                3,
                12,
                depends_on=("peak-target",),
                deliverables=(D("Peak results deck", "report", owner="manager"),),
            ),
        ),
        status_updates=(
            ("manager", "on_track", "Offers agreed and the gift guide is ranking well.", 20),
            (
                "manager",
                "off_track",
                "Ad sets are blocked on final prices and the early-access list is 3,500 short "
                "with Black Friday two days out. Escalated to the client's merchandising lead.",
                0,
            ),
        ),
    ),
    DemoProject(
        name="Copper Kettle turns 10",
        client="copper",
        kind="brand",
        description="A month-long tenth-birthday celebration: the story of the first shop, "
        "thanks to the regulars and staff who built it, and a birthday weekend in every café.",
        objective="Grow loyalty members by 25% and earn regional press coverage.",
        start=-90,
        target=60,
        budget_planned=Decimal("42000"),
        budget_spent=Decimal("18900"),
        phases=(
            ("Story and identity", -90, -41),
            ("Content and partnerships", -40, 10),
            ("Anniversary month", 11, 45),
            ("Legacy", 46, 60),
        ),
        milestones=(
            M(
                "identity",
                "Ten-year identity approved",
                "anniversary",
                0,
                -60,
                status="completed",
                owner="lena",
                deliverables=(
                    D("Anniversary logo lock-up", "creative_asset", "delivered", owner="lena"),
                    D("Brand guidelines addendum", "report", "delivered", owner="lena"),
                ),
            ),
            M(
                "stories",
                "Ten years of stories collected",
                "content_seo",
                1,
                -30,
                status="completed",
                owner="sam",
                depends_on=("identity",),
                deliverables=(
                    D("Founders' interview film", "video", "delivered", owner="lena"),
                    D("Customer story call-out", "copy", "approved"),
                ),
            ),
            M(
                "award-entry",
                "Regional Food & Drink Awards entry",
                "award",
                1,
                -20,
                status="cancelled",
                deliverables=(D("Awards entry form", "copy"),),
                comments=(("manager", "Organisers postponed this year's awards; dropping it."),),
            ),
            M(
                "staff",
                "Long-service thank-you for the original team",
                "employee",
                1,
                -3,
                owner="lena",
                success_criteria="Every baker from the first year thanked in person and on film.",
                deliverables=(D("Staff recognition film", "video", "in_progress", owner="lena"),),
            ),
            M(
                "microsite",
                "Anniversary microsite live",
                "content_seo",
                1,
                8,
                status="in_progress",
                owner="sam",
                slip=7,
                slip_reason="Photos of the original shop moved to after the refit.",
                depends_on=("stories",),
                deliverables=(
                    D(
                        "Anniversary microsite",
                        "landing_page",
                        "in_progress",
                        checklist=(
                            ("Timeline copy, 2016 to today", True),
                            ("Founders' film embedded", True),
                            ("Loyalty sign-up form", False),
                            ("Accessibility check", False),
                        ),
                    ),
                    D("Timeline illustrations", "creative_asset", "in_review", owner="lena"),
                ),
            ),
            M(
                "birthday-weekend",
                "Birthday weekend in every café",
                "anniversary",
                2,
                20,
                kpi=("Birthday weekend footfall", Decimal("12000"), None, "visitors"),
                depends_on=("microsite",),
                deliverables=(
                    D("In-store birthday event kit", "event"),
                    D("Press release: ten years of Copper Kettle", "copy", owner="manager"),
                ),
            ),
            M(
                "loyalty",
                "10,000 loyalty members",
                "customer",
                2,
                35,
                owner="sam",
                kpi=("Loyalty members", Decimal("10000"), Decimal("8120"), "members"),
                deliverables=(D("Members' birthday offer email", "email"),),
            ),
            M(
                "retro",
                "Anniversary retrospective",
                "campaign_checkpoint",
                3,
                58,
                depends_on=("birthday-weekend",),
                deliverables=(D("Anniversary results report", "report", owner="manager"),),
            ),
        ),
        status_updates=(
            ("manager", "at_risk", "Story collection ran two weeks long; recovering.", 35),
            ("manager", "on_track", "Stories are in and the microsite is taking shape.", 3),
        ),
    ),
    DemoProject(
        name="Manchester café opening",
        client="copper",
        kind="event",
        description="Copper Kettle's first café outside Leeds: local research, listings, "
        "hiring, a neighbourhood preview evening and the grand opening.",
        objective="900 transactions on opening day and £85k revenue in the first month.",
        start=-40,
        target=75,
        budget_planned=Decimal("60000"),
        budget_spent=Decimal("14350"),
        phases=(
            ("Market research", -40, -16),
            ("Pre-opening buzz", -15, 40),
            ("Opening", 41, 55),
            ("First month", 56, 75),
        ),
        milestones=(
            M(
                "research",
                "Local market research and site audit",
                "market_expansion",
                0,
                -25,
                status="completed",
                owner="lena",
                deliverables=(D("Catchment and competitor analysis", "report", "delivered"),),
            ),
            M(
                "local-seo",
                "Local listings and search presence",
                "content_seo",
                1,
                -8,
                status="in_progress",
                owner="sam",
                slip=6,
                slip_reason="The Google address-verification postcard took two weeks to arrive.",
                depends_on=("research",),
                deliverables=(
                    D("Google Business Profile", "other", "approved"),
                    D("Manchester landing page", "landing_page", "in_review"),
                ),
            ),
            M(
                "partners",
                "Neighbourhood partnerships signed",
                "market_expansion",
                1,
                3,
                status="in_progress",
                success_criteria="Three local partners (roastery, bookshop, running club) signed.",
                kpi=("Partners signed", Decimal("3"), Decimal("2"), "partners"),
                deliverables=(D("Partner pack", "copy", "in_progress"),),
            ),
            M(
                "hiring",
                "Opening team of 14 hired and trained",
                "employee",
                1,
                20,
                status="in_progress",
                owner="lena",
                kpi=("People hired", Decimal("14"), Decimal("9"), "people"),
                deliverables=(
                    D("Recruitment ad campaign", "ad_set", "delivered"),
                    D("Barista training plan", "report", "in_progress", owner="lena"),
                ),
            ),
            M(
                "preview",
                "Neighbourhood preview evening",
                "customer",
                1,
                35,
                depends_on=("local-seo", "partners"),
                deliverables=(
                    D("Preview evening invitation", "email"),
                    D("Event run sheet", "event", owner="manager"),
                ),
            ),
            M(
                "opening",
                "Grand opening day",
                "market_expansion",
                2,
                45,
                slip=5,
                slip_reason="The shop-fit contractor is a week behind on the counter install.",
                success_criteria="Doors open at 07:30 with the full menu and a queue outside.",
                kpi=("Opening-day transactions", Decimal("900"), None, "transactions"),
                depends_on=("hiring", "preview"),
                deliverables=(
                    D("Store opening event", "event", owner="manager"),
                    D("Opening-day press release", "copy"),
                    D("Local radio spot", "ad_set", owner="lena"),
                ),
            ),
            M(
                "first-month",
                "First-month sales target",
                "sales_target",
                3,
                75,
                kpi=("First-month revenue", Decimal("85000"), Decimal("0"), "GBP"),
                depends_on=("opening",),
            ),
        ),
        status_updates=(
            ("manager", "on_track", "Site audit done; the neighbourhood looks strong.", 21),
            (
                "manager",
                "at_risk",
                "Listings are late and the shop fit moved opening day back by five days.",
                2,
            ),
        ),
    ),
    DemoProject(
        name="Brightwater Yoga onboarding",
        client="brightwater",
        kind="digital_campaign",
        description="A new retainer: access to every channel, an audit of each, a 90-day plan "
        "the client signs off and the first campaigns live within a month.",
        objective="Every agreed channel running and measured by day 30; 120 trial sign-ups a "
        "month by the first report.",
        start=-20,
        target=25,
        budget_planned=Decimal("18000"),
        budget_spent=Decimal("5400"),
        phases=(
            ("Kick-off", -20, -13),
            ("Channel audits", -12, 4),
            ("Plan and launch", 5, 25),
        ),
        milestones=(
            M(
                "kickoff",
                "Client kickoff meeting",
                "customer",
                0,
                -18,
                status="completed",
                success_criteria="Goals, KPIs, approvers and the reporting rhythm agreed.",
                deliverables=(
                    D(
                        "Kickoff notes and goals",
                        "report",
                        "approved",
                        owner="manager",
                        checklist=(
                            ("Goals and KPIs agreed", True),
                            ("Approvers named", True),
                            ("Monthly report date set", True),
                        ),
                    ),
                ),
            ),
            M(
                "access",
                "Accounts and access granted",
                "campaign_checkpoint",
                0,
                -13,
                status="completed",
                slip=3,
                slip_reason="The client's ad account admin was on holiday.",
                depends_on=("kickoff",),
                deliverables=(
                    D(
                        "Channel access log",
                        "report",
                        "delivered",
                        owner="manager",
                        checklist=(
                            ("Analytics", True),
                            ("Search console", True),
                            ("Meta and Google ad accounts", True),
                            ("Instagram and Facebook pages", True),
                            ("Email platform", True),
                            ("Website CMS", True),
                        ),
                    ),
                ),
            ),
            M(
                "social",
                "Social audit done",
                "campaign_checkpoint",
                1,
                -2,
                status="completed",
                owner="lena",
                depends_on=("access",),
                deliverables=(
                    D(
                        "Social audit",
                        "report",
                        "approved",
                        owner="lena",
                        checklist=(
                            ("Profiles complete and consistent", True),
                            ("Posting rhythm per network", True),
                            ("Engagement against three local studios", True),
                            ("Reply times to messages", True),
                        ),
                    ),
                ),
            ),
            M(
                "seo",
                "SEO audit done",
                "content_seo",
                1,
                1,
                status="in_progress",
                owner="sam",
                depends_on=("access",),
                deliverables=(
                    D(
                        "Local SEO and keyword audit",
                        "report",
                        "in_progress",
                        checklist=(
                            ("Google Business Profiles of the four studios", True),
                            ("Crawl errors", True),
                            ("Page speed on phones", False),
                            ("Keyword gaps: 'hot yoga near me' and friends", False),
                        ),
                    ),
                ),
            ),
            M(
                "email",
                "Email audit done",
                "campaign_checkpoint",
                1,
                3,
                status="in_progress",
                owner="sam",
                depends_on=("access",),
                deliverables=(
                    D(
                        "Email programme audit",
                        "report",
                        "in_review",
                        checklist=(
                            ("List health and consent records", True),
                            ("Welcome and win-back automations", True),
                            ("Deliverability", True),
                            ("Templates on phones", True),
                        ),
                    ),
                ),
            ),
            M(
                "paid",
                "Paid media audit done",
                "campaign_checkpoint",
                1,
                4,
                owner="lena",
                depends_on=("access",),
                deliverables=(
                    D(
                        "Paid accounts audit",
                        "report",
                        owner="lena",
                        checklist=(
                            ("Conversion tracking of trial bookings", False),
                            ("Campaign structure", False),
                            ("Wasted spend", False),
                            ("Audiences and exclusions", False),
                        ),
                    ),
                ),
            ),
            M(
                "plan",
                "90-day plan approved by the client",
                "customer",
                2,
                9,
                depends_on=("social", "seo", "email", "paid"),
                deliverables=(D("90-day channel plan", "report", owner="manager"),),
            ),
            M(
                "live",
                "First campaigns live",
                "launch",
                2,
                16,
                owner="lena",
                depends_on=("plan",),
                deliverables=(
                    D("New-student offer ad sets", "ad_set", owner="lena"),
                    D("Welcome email flow", "email"),
                ),
            ),
            M(
                "report",
                "First monthly report delivered",
                "campaign_checkpoint",
                2,
                25,
                kpi=("Trial sign-ups", Decimal("120"), None, "sign-ups"),
                depends_on=("live",),
                deliverables=(D("Monthly performance report", "report", owner="manager"),),
            ),
        ),
        status_updates=(
            ("manager", "on_track", "Kickoff done; the client has named two approvers.", 17),
            (
                "manager",
                "on_track",
                "Access came three days late, but the social audit is in and approved.",
                1,
            ),
        ),
    ),
)
