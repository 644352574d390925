"""English ticket texts per leaf category: (titles, descriptions, resolutions).

Placeholders are filled from ``vocabulary.fill``.
"""

from __future__ import annotations

TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "access/password": (
        ("Password reset needed", "Forgotten my Windows password", "Password expired, can't log in",
         "Need a password reset for {app}"),
        ("I came back from leave and my password has expired. Can you reset it please? "
         "I'm at {site}.",
         "I've typed my password wrong too many times and now it says '{error}'. I need to "
         "get into my emails before 10."),
        ("Identity verified by call-back; password reset and the user set a new one at first "
         "sign-in.",
         "Password reset through the self-service portal with the user on the phone; MFA "
         "re-registered."),
    ),
    "access/locked": (
        ("Account locked out", "Locked out of my account again", "Can't sign in: account locked"),
        ("My account keeps locking every morning since I changed my password. I think my phone "
         "still has the old one.",
         "Sign-in fails with '{error}' on {host}. Several attempts, now locked."),
        ("Unlocked the account; the old password was cached on the user's phone mail profile, "
         "removed and re-added.",
         "Account unlocked. Stale credentials found in Credential Manager on {host}; cleared."),
    ),
    "access/new-user": (
        ("New starter: {newcomer}", "Account set-up for {newcomer} starting Monday",
         "Create accounts for new colleague {newcomer}"),
        ("{newcomer} joins the team at {site} on Monday. They need Windows, e-mail, {erp} and "
         "access to {share}. Same rights as {colleague}.",
         "Please create a user account and mailbox for {newcomer}, starting next week. "
         "Line manager: {colleague}."),
        ("Account, mailbox and licences created for {newcomer}; groups copied from {colleague}; "
         "welcome pack sent to the line manager.",
         "New user provisioned: AD account, Microsoft 365 licence, {erp} access and {share} "
         "rights. Temporary password given to the manager."),
    ),
    "access/leaver": (
        ("Leaver: disable account of {newcomer}", "Staff leaving Friday: {newcomer}",
         "Remove access for leaver {newcomer}"),
        ("{newcomer} leaves us on Friday. Please disable their account at 17:30, forward their "
         "mail to {colleague} and keep the mailbox for 90 days.",
         "HR confirmed {newcomer}'s last day is tomorrow. Remove all access including {erp}."),
        ("Account disabled, mailbox converted to shared with {colleague} given access, "
         "licences reclaimed.",
         "Leaver processed: sign-in blocked, sessions revoked, {erp} user deactivated, "
         "device collection booked."),
    ),
    "access/permissions": (
        ("Access to {share}", "Need write access to {share}", "Permission denied on {share}"),
        ("I need to save files in {share} for the new project but I only have read access. "
         "{colleague} can approve.",
         "Since Monday I get 'Access is denied' when opening {share}. It worked last week."),
        ("Added the user to the {share} modify group after approval from {colleague}; asked to "
         "sign out and in.",
         "Permissions restored: the user had been removed from the security group during the "
         "clean-up; re-added."),
    ),
    "access/mfa": (
        ("MFA prompt not arriving", "New phone, need to move my authenticator",
         "Stuck in a sign-in loop with MFA"),
        ("I got a new phone and the Authenticator app no longer works. Sign-in shows {error}.",
         "The approval request never reaches my phone, so I cannot get into Teams or Outlook."),
        ("MFA methods reset; the user re-registered the Authenticator app on the new phone.",
         "Conditional access blocked the device as non-compliant; device re-enrolled in Intune "
         "and sign-in works."),
    ),
    "hardware/laptop": (
        ("Laptop won't start", "Laptop {host} very slow and overheating",
         "Laptop screen flickering", "Laptop battery not charging"),
        ("My laptop ({host}, asset {asset}) shows '{error}' when I switch it on. I have "
         "meetings all afternoon.",
         "{host} has become extremely slow and the fan is loud all the time. Tried a restart."),
        ("Replaced the faulty SSD under warranty and re-imaged {host}; user data restored from "
         "OneDrive.",
         "Firmware and drivers updated, BIOS reset; battery calibrated. Working normally.",
         "Swapped the laptop for a loan device while the vendor repairs {asset}."),
    ),
    "hardware/desktop": (
        ("PC won't boot", "Desktop {host} keeps restarting", "No display on my PC"),
        ("The PC at {site} ({host}) restarts by itself several times an hour.",
         "My desktop shows '{error}' at start-up."),
        ("Reseated the RAM and replaced the PSU; stress-tested for an hour.",
         "Disk errors repaired; Windows repaired with an in-place upgrade."),
    ),
    "hardware/peripherals": (
        ("Second monitor not detected", "Keyboard and mouse not working",
         "Headset microphone not working"),
        ("My second screen stays black since this morning. Cable looks fine.",
         "The wireless keyboard at my desk at {site} stopped responding, new batteries did "
         "not help."),
        ("Replaced the DisplayPort cable; both screens detected.",
         "New keyboard and mouse set delivered to the user's desk."),
    ),
    "hardware/new-equipment": (
        ("Request: new laptop for {newcomer}", "Need a second monitor",
         "Docking station and headset for new starter"),
        ("Please order a {device} for {newcomer} who starts at {site} next month.",
         "Could I have a second monitor? I work on spreadsheets all day."),
        ("Equipment ordered from the standard catalogue and delivered to {site}.",
         "Device prepared with the standard image and handed over to {newcomer}'s manager."),
    ),
    "hardware/mobile": (
        ("Company phone screen cracked", "Handheld scanner won't sync",
         "Mobile phone not receiving e-mail"),
        ("My {device} (asset {asset}) fell and the screen is cracked; touch is partly dead.",
         "The {device} at {site} no longer syncs e-mail since the update."),
        ("Device replaced from stock; the old one wiped and sent for repair.",
         "Intune profile re-pushed; mail sync restored."),
    ),
    "hardware/dock": (
        ("Docking station not charging laptop", "Dock screens not working",
         "USB ports on dock dead"),
        ("When I plug my laptop into the dock at {site}, nothing happens: no screens, no charge. "
         "Dock asset {asset}.",
         "Screens on the dock flicker and go black every few minutes."),
        ("Dock firmware updated; screens and charging work.",
         "Faulty dock {asset} replaced."),
    ),
    "network/vpn": (
        ("VPN keeps disconnecting", "Cannot connect to VPN: {error}",
         "VPN connects but no access to {share}"),
        ("Working from home on {host}: the VPN drops every ten minutes and I lose my {erp} "
         "session.",
         "The VPN client says '{error}' and will not connect. Home broadband works fine."),
        ("Reinstalled the VPN client and lowered the MTU on the tunnel profile; stable for the "
         "whole day.",
         "Expired machine certificate on {host} renewed; VPN connects.",
         "The home router blocked IPsec; switched the profile to SSL VPN."),
    ),
    "network/wifi": (
        ("Wi-Fi very slow at {site}", "Can't join the Wi-Fi", "Wi-Fi drops in meeting rooms"),
        ("Since this morning the Wi-Fi at {site} is unusable on {host}: '{error}'.",
         "Visitors cannot connect to the guest Wi-Fi in the meeting rooms at {site}."),
        ("Access point in the meeting area rebooted and its channel moved; coverage restored.",
         "Wireless driver on {host} updated; the laptop roams correctly."),
    ),
    "network/site-outage": (
        ("Whole site offline: {site}", "No internet at {site}",
         "Network down at {site}, {count} people affected"),
        ("Nobody at {site} can reach anything since 08:40: no e-mail, no {erp}, phones down too.",
         "All users at {site} lost network. The router lights are orange."),
        ("ISP line fault on the primary circuit; traffic moved to the 4G back-up, then the ISP "
         "repaired the line.",
         "Core switch at {site} had a failed power supply; replaced, site back online."),
    ),
    "network/firewall": (
        ("Firewall rule for {destination}", "Open port {port} to {destination}",
         "New partner connection needs a firewall change"),
        ("Our partner needs us to reach {destination} on port {port} from {server} for the "
         "nightly file exchange.",
         "Please allow outbound {port} to {destination}; change approved by {colleague}."),
        ("Rule added after approval, scoped to {server} → {destination}:{port}; tested with the "
         "partner.",
         "Change implemented in the maintenance window and documented in the rule base."),
    ),
    "network/dns": (
        ("Intranet address not found", "{server} cannot be resolved",
         "Website not loading: {error}"),
        ("From {host}, {server} is not found by name but works by IP.",
         "Browsers show '{error}' for internal sites since this morning."),
        ("Stale DNS record for {server} removed and the correct A record re-created.",
         "The DHCP scope handed out an old DNS server; scope option corrected."),
    ),
    "network/server": (
        ("{server} not responding", "Server down: {server}", "Can't reach {server}"),
        ("Nobody can open files on {server} since 09:15. {count} people are blocked.",
         "Monitoring says {server} is down; users report '{error}'."),
        ("{server} had hung on a Windows update; rebooted from the console and the update "
         "completed.",
         "Disk full on {server}; old logs archived, space alert added."),
    ),
    "network/slow": (
        ("Network very slow at {site}", "Everything slow this afternoon",
         "Slow access to {share}"),
        ("Opening files on {share} takes minutes at {site} since lunch.",
         "{count} of us at {site} find everything slow today, {erp} times out."),
        ("A backup job ran during the day and saturated the link; rescheduled to the night.",
         "Duplex mismatch on the uplink port fixed; throughput back to normal."),
    ),
    "email/outlook": (
        ("Outlook won't open", "Outlook keeps asking for my password",
         "Not receiving e-mails since this morning", "Outlook error {error}"),
        ("Outlook on {host} shows '{error}' and closes. Webmail works.",
         "I have not received any e-mail in {mailbox} since 8 a.m."),
        ("Outlook profile re-created and the OST file rebuilt; mail flowing.",
         "Mailbox was full; archived old items and enabled online archive.",
         "A transport rule quarantined the messages; released and rule fixed."),
    ),
    "email/shared-mailbox": (
        ("Access to {mailbox}", "Add me to the shared mailbox {mailbox}",
         "Shared mailbox not showing in Outlook"),
        ("I've joined the team and need send-as on {mailbox}. {colleague} approves.",
         "{mailbox} disappeared from my Outlook after the update."),
        ("Full access and send-as granted on {mailbox}; appears after restarting Outlook.",
         "Auto-mapping re-enabled; the mailbox shows again."),
    ),
    "email/distribution-list": (
        ("Update the distribution list", "Add {newcomer} to our team list",
         "New distribution list for {site}"),
        ("Please add {newcomer} and remove {colleague} from the {site} list.",
         "We need a new list for everyone at {site}, owned by {colleague}."),
        ("Distribution list updated as requested.",
         "List created with {colleague} as owner; external senders blocked."),
    ),
    "email/teams": (
        ("Teams not loading", "No sound in Teams meetings", "Teams error {error}"),
        ("Teams stays on the loading screen on {host}. Error {error}.",
         "In Teams calls people can't hear me, although the headset works elsewhere."),
        ("Cleared the Teams cache and reinstalled the new Teams client.",
         "Wrong default device in Teams; set the headset and tested a call."),
    ),
    "email/onedrive": (
        ("OneDrive not syncing", "SharePoint library sync error",
         "Files stuck in 'sync pending'"),
        ("OneDrive on {host} shows '{error}' and my changes don't upload.",
         "The team SharePoint library no longer syncs to File Explorer."),
        ("Reset the OneDrive client and removed an invalid file name blocking the sync.",
         "The library exceeded the sync limit; set up shortcuts to the needed folders instead."),
    ),
    "software/install": (
        ("Please install {app}", "Software request: {app}", "Need {app} on {host}"),
        ("Can you install {app} on {host}? My manager {colleague} agreed.",
         "I need {app} for the new reporting work."),
        ("{app} deployed from the company portal to {host}.",
         "{app} installed remotely; the user tested it."),
    ),
    "software/office": (
        ("Excel crashes when opening files", "Word keeps freezing", "Office apps crash: {error}"),
        ("Excel closes with '{error}' whenever I open the monthly report. Version {version}.",
         "Word freezes after a few minutes on {host}."),
        ("A faulty add-in was disabled and Office repaired online.",
         "Office updated to the current build; the crash is fixed."),
    ),
    "software/browser": (
        ("Websites not loading in Edge", "Browser keeps opening pop-ups",
         "Chrome crashes on {host}"),
        ("Edge shows a blank page for {erp} but other sites work.",
         "Pop-ups open all the time in my browser."),
        ("Browser profile reset and a rogue extension removed.",
         "Site added to the compatibility list; loads correctly."),
    ),
    "software/licence": (
        ("Licence needed for {app}", "Visio licence request", "Power BI Pro licence"),
        ("I need a licence for {app} for the project with {colleague}.",
         "My trial of {app} expired. Could I have a full licence?"),
        ("Licence assigned from the pool and activated.",
         "Purchase approved by the budget holder; licence assigned."),
    ),
    "software/update": (
        ("Windows update fails", "Update stuck at 0%", "Update error {error}"),
        ("{host} keeps failing the monthly update with {error}.",
         "Every night my PC tries to update and rolls back."),
        ("Component store repaired (DISM) and update installed.",
         "Cleared the update cache and installed the cumulative update manually."),
    ),
    "apps/erp": (
        ("{erp}: error when posting", "{erp} very slow", "{erp} down for everyone",
         "{erp} {module}: '{error}'"),
        ("In {erp}, {module} shows '{error}' when I post. {count} colleagues have the same.",
         "{erp} takes a minute per screen today in {module}."),
        ("A long-running report held locks; stopped it and rescheduled to the night.",
         "Application server restarted after a memory leak; patched the next evening.",
         "User's role was missing a permission for {module}; role corrected."),
    ),
    "apps/crm": (
        ("{crm} not syncing with Outlook", "{crm}: cannot save record", "{crm} error {error}"),
        ("{crm} shows '{error}' when I save a contact in {module}.",
         "Meetings stopped syncing from {crm} to Outlook."),
        ("Re-authorised the {crm} Outlook connector.",
         "A validation rule blocked the save; rule fixed with the business owner."),
    ),
    "apps/warehouse": (
        ("{wms}: scanners can't confirm picks", "{wms} down at {site}",
         "{wms}: wave release stuck"),
        ("At {site}, pickers get '{error}' when confirming picks in {wms}. Trucks leave at 14:00.",
         "The wave release in {wms} has been stuck for 30 minutes at {site}."),
        ("A stuck integration job was restarted and the backlog of confirmations processed.",
         "Database deadlock between wave release and replenishment; job schedule changed."),
    ),
    "apps/pos": (
        ("Till down at {site}", "{pos}: card payments refused", "{pos} won't print receipts"),
        ("At {site}, {pos} shows '{error}' and we can't take payments.",
         "The till at {site} freezes after each sale."),
        ("Payment terminal re-paired with the till and the till service restarted.",
         "Till database repaired and the till resynchronised with head office."),
    ),
    "apps/case": (
        ("{case}: cannot open documents", "{case} very slow", "{case} error in {module}"),
        ("{case} shows '{error}' when I open a matter in {module}.",
         "Saving documents into {case} takes minutes today."),
        ("Indexer service restarted and the search index rebuilt overnight.",
         "The user's profile cache was corrupted; cleared and resynchronised."),
    ),
    "apps/payroll": (
        ("{payroll}: payslips not generating", "{payroll} login fails",
         "{payroll} export error"),
        ("In {payroll}, {module} fails with '{error}' on the monthly run.",
         "I cannot log in to {payroll} since the update."),
        ("Vendor patch applied; payroll run completed.",
         "Single sign-on certificate renewed for {payroll}."),
    ),
    "apps/reporting": (
        ("New {bi} report for {module}", "Report refresh failing", "Access to {bi} workspace"),
        ("We need a weekly {module} report in {bi} for the management meeting.",
         "The {bi} dashboard has not refreshed since yesterday: '{error}'."),
        ("Dataset gateway credentials renewed; refresh works.",
         "Report built and shared with the requested audience."),
    ),
    "printing/offline": (
        ("Printer {printer} offline", "Can't print at {site}", "Printer shows offline"),
        ("{printer} at {site} shows offline for everyone.",
         "My print jobs to {printer} stay in the queue."),
        ("Printer had lost its IP reservation; fixed and the queue cleared.",
         "Print spooler restarted on the print server; jobs printed."),
    ),
    "printing/quality": (
        ("Paper jam on {printer}", "Prints come out streaky", "Printer keeps jamming"),
        ("{printer} jams on every job: '{error}'.",
         "Prints from {printer} have grey stripes."),
        ("Fuser unit replaced by the print vendor.",
         "Jammed sheet removed from tray 2; rollers cleaned."),
    ),
    "printing/scan": (
        ("Scan to e-mail not working", "Scanner can't send to e-mail",
         "Scan to folder fails on {printer}"),
        ("Scanning to e-mail on {printer} says '{error}'.",
         "Scans don't arrive in my mailbox any more."),
        ("SMTP relay credentials on {printer} updated.",
         "Scan destination re-created; test scan received."),
    ),
    "printing/new-printer": (
        ("New printer for {site}", "Install printer {printer} on my PC",
         "Printer driver request"),
        ("Please add {printer} to my PC at {site}.",
         "We need a printer for the new office at {site}."),
        ("Printer deployed to the user through the print policy.",
         "New printer installed and shared on the print server."),
    ),
    "printing/labels": (
        ("Label printer not printing at {site}", "Shipping labels misaligned",
         "{printer} prints blank labels"),
        ("{printer} at {site} prints blank labels; dispatch is blocked.",
         "Labels print shifted by 1 cm since the roll change."),
        ("Label printer recalibrated and the media type corrected.",
         "Driver reinstalled with the right label size; test batch OK."),
    ),
    "telephony/desk-phone": (
        ("Desk phone shows '{error}'", "No dial tone on ext {ext}", "Desk phone not working"),
        ("My desk phone (ext {ext}) says '{error}'.",
         "The phone at reception at {site} has no dial tone."),
        ("Phone re-provisioned on the call platform.",
         "Faulty PoE port; phone moved to a working port."),
    ),
    "telephony/softphone": (
        ("Teams calls drop", "Softphone: one-way audio", "Can't call out from Teams"),
        ("Calls from Teams drop after 30 seconds. Ext {ext}.",
         "Callers can't hear me on the softphone: '{error}'."),
        ("Calling policy and number re-assigned; outbound calls work.",
         "Firewall blocked media ports; rule fixed by network team."),
    ),
    "telephony/voicemail": (
        ("Reset voicemail PIN", "Voicemail not arriving by e-mail",
         "Change voicemail greeting"),
        ("I forgot my voicemail PIN for ext {ext}.",
         "Voicemails no longer arrive in my mailbox."),
        ("PIN reset and greeting re-recorded with the user.",
         "Voicemail-to-email routing corrected."),
    ),
    "telephony/hunt-group": (
        ("Change the call queue at {site}", "Add agents to the sales hunt group",
         "Out-of-hours message for {site}"),
        ("Please add {newcomer} to the {site} call queue (ext {ext}).",
         "We need a new out-of-hours greeting and routing for {site}."),
        ("Call queue updated and tested with a call.",
         "Routing and greeting configured for the opening hours."),
    ),
    "telephony/mobile-line": (
        ("New SIM for {newcomer}", "Mobile data not working", "Port number to new SIM"),
        ("{newcomer} needs a company SIM with data.",
         "Mobile data stopped working on {mobile}."),
        ("SIM ordered and activated.",
         "Data bar lifted with the carrier; data works."),
    ),
    "security/phishing": (
        ("Suspicious e-mail received", "Phishing? E-mail from {sender}",
         "I clicked a link in an e-mail"),
        ("I received an e-mail from {sender} asking to validate my password. Is it real?",
         "I clicked the link in a 'parcel delivery' e-mail from {sender} before noticing."),
        ("Message purged from all mailboxes; sender blocked; the user confirmed no credentials "
         "were entered.",
         "Password reset as a precaution, sessions revoked; no further activity found."),
    ),
    "security/malware": (
        ("Antivirus alert on {host}", "Malware detected: {detection}",
         "Strange pop-ups and slowness"),
        ("Defender showed '{detection}' on {host} and quarantined a file.",
         "My PC behaves strangely and an antivirus warning appeared."),
        ("Host isolated, full scan clean after remediation, the user's password reset.",
         "Infected download removed; no lateral movement found in the logs."),
    ),
    "security/sign-in": (
        ("Unusual sign-in alert", "Sign-in from unknown location", "Account used from {ip}"),
        ("I got an alert that my account was used from {ip}. It wasn't me.",
         "Microsoft warned about an '{error}' sign-in to my account."),
        ("Sessions revoked, password reset, MFA re-registered; the IP was blocked.",
         "Confirmed the user's own travel; alert closed as benign."),
    ),
    "security/lost-device": (
        ("Lost laptop", "Phone stolen", "Left my laptop on the train"),
        ("I left my laptop ({asset}) on the train this morning.",
         "My company {device} was stolen last night."),
        ("Device wiped remotely and the accounts' sessions revoked; replacement issued.",
         "Device located and returned; BitLocker confirmed active."),
    ),
    "security/incident": (
        ("Security incident: {host}", "Possible compromise of {server}",
         "Ransomware suspicion on {host}"),
        ("Monitoring raised '{error}' on {host}; outbound traffic to {ip}.",
         "Files on {share} renamed with an unknown extension."),
        ("Hosts isolated, restored from clean backups, credentials rotated; report sent to the "
         "client.",
         "False positive confirmed after forensic review; detection tuned."),
    ),
    "data/restore": (
        ("Restore deleted file in {share}", "Need yesterday's version of a file",
         "Folder deleted by mistake"),
        ("I deleted the folder {path} on {share} by mistake this morning.",
         "The spreadsheet in {share} was overwritten; I need last night's version."),
        ("Restored {path} from last night's backup to the original location.",
         "Previous version recovered from snapshots."),
    ),
    "data/backup": (
        ("Backup failed: {backup_job}", "Nightly backup error", "Backup job warning"),
        ("Monitoring: {backup_job} failed with '{error}'.",
         "The backup report shows {backup_job} failed two nights in a row."),
        ("VSS writer restarted and the job re-run successfully.",
         "Repository space extended; job completed."),
    ),
    "data/quota": (
        ("Quota full on {share}", "More space on {share}", "Mailbox storage full"),
        ("{share} says '{error}' and nobody can save.",
         "Our team share is almost full; can we have more space?"),
        ("Quota increased after clean-up of duplicates.",
         "Old project folders archived; space freed."),
    ),
    "data/database": (
        ("Database slow: {database}", "{database} errors", "Database log full"),
        ("Application users report '{error}' from {database}.",
         "Queries on {database} time out since this morning."),
        ("Transaction log backed up and the log schedule fixed.",
         "Index maintenance and statistics update restored the performance."),
    ),
}
