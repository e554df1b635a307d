"""The first versions of the public pages: what BUS is, for families and young people, for
staff, and the accessibility statement, in Swedish and English.

Drawn from the regional BUS agreement and the local agreements (see the README). The
secretariat edits the pages in the app afterwards; ``load_pages`` only creates pages that
do not exist yet, so it never overwrites their work. ``{datum}`` in a text becomes the day
the page is loaded (the accessibility statement's date of assessment).
"""

from __future__ import annotations

SIP_COURSE = (
    "https://skl.se/halsasjukvard/kunskapsstodvardochbehandling/"
    "samordnadindividuellplansip.samordnadindividuellplan.html"
)
DIGG_REPORT = "https://www.digg.se/tdosanmalan"

WHAT_IS_BUS_SV = """
## Överenskommelsen

BUS står för *barn och unga i behov av särskilt stöd*. Alla kommuner i Stockholms län och
Region Stockholm tecknade 2012 en gemensam överenskommelse om hur de ska samverka kring barn
under 18 år som behöver särskilt stöd både från skolan och/eller socialtjänsten och från
hälso- och sjukvården.

Syftet är att göra det tydligt vem som ansvarar för vad, och att ge verksamheterna gemensamma
utgångspunkter och fasta former för samarbetet, så att inget barn blir utan det stöd som
barnet har rätt till.

## Vilka barn gäller det?

Barn och unga i behov av särskilt stöd är ingen enhetlig grupp. Det kan vara barn som har en
funktionsnedsättning, en kronisk sjukdom eller psykisk ohälsa, barn som söker asyl, barn med
sviktande stöd hemifrån eller barn vars familj har drabbats av en kris, som en skilsmässa
eller en förälders allvarliga sjukdom. Ofta samverkar flera faktorer.

De flesta av barnen går i förskolan eller skolan. En del har också kontakt med socialtjänsten,
barn- och ungdomspsykiatrin (BUP), barnläkare, vårdcentralen eller habiliteringen.

## Gemensamma utgångspunkter

- Alla barn har rätt att få sina behov av insatser från skolan, kommunen och regionen utredda
  och tillgodosedda.
- Barnet ses som en helhet: hälsa, relationer, skola, hem och fritid påverkar varandra.
- Ett barns intresse får aldrig åsidosättas för att olika huvudmän har olika verksamhets- och
  kostnadsansvar.
- Barnet och vårdnadshavarna ska ha inflytande över beslut som rör dem.
- Tidiga insatser är viktiga.
- Arbetet utgår från FN:s barnkonvention och från kunskapsbaserad praktik.

## Vilka är med?

Från kommunerna: förskola, grundskola, gymnasieskola och anpassad skola, elevhälsan och
socialtjänsten. Från Region Stockholm: barn- och ungdomspsykiatrin (BUP), barn- och
ungdomsmedicinen (BUMM), habiliteringen, ungdomsmottagningarna och primärvården. Fristående
skolor bjuds in att ansluta sig till de lokala överenskommelserna.

## Samverkan på tre nivåer

| Nivå | Politiker | Tjänstepersoner |
|---|---|---|
| Länet | Presidiegruppen | BUSSAM, med stöd av BUS-sekretariatet |
| Kommunen eller stadsdelen | Samrådsgrupp | Lokal BUS-grupp: styrgrupp, arbetsgrupp och individforum |
| Barnet | – | Personal från skola, socialtjänst och vård, t.ex. i elevhälsoteam och SIP-möten |

**BUSSAM** är ett beslutande forum med chefer från kommunernas utbildning och socialtjänst och
från regionens psykiatri, barnmedicin och habilitering. BUSSAM träffas flera gånger per år.
**BUS-sekretariatet** består av tjänstepersoner från Storsthlm och Region Stockholms hälso- och
sjukvårdsförvaltning och stödjer BUSSAM och länets lokala BUS-grupper.

## De lokala BUS-grupperna

I varje kommun, och i Stockholms stad per stadsdelsområde, finns en lokal BUS-grupp med chefer
från kommunens förvaltningar och regionens verksamheter. Gruppen ska:

- se till att det finns en tydlig struktur, beslutsordning och uppföljning för samverkan kring
  barnet;
- ta fram lokala överenskommelser och rutiner och se till att de är kända i verksamheterna;
- ha rutiner för hur brister i samverkan uppmärksammas och åtgärdas;
- se till att verksamheterna tar gemensamt ansvar för att samordna insatserna;
- ge medarbetarna tid, mandat och kompetens att samarbeta;
- se till att all personal har rutiner för att anmäla oro för ett barn till socialtjänsten.

Ofta består gruppen av en **styrgrupp** som träffas minst en gång per termin, en
**arbetsgrupp** som tar fram rutiner på styrgruppens uppdrag och ett **individforum** där
cheferna löser enskilda ärenden som inte har gått att lösa i det vanliga samarbetet.
Den lokala överenskommelsen följs upp varje år av styrgruppen.

[Hitta din lokala BUS-grupp](/om-bus/kontakt/)
"""

WHAT_IS_BUS_EN = """
## The agreement

BUS stands for *barn och unga i behov av särskilt stöd*: children and young people in need of
special support. In 2012 every municipality in Stockholm County and Region Stockholm signed a
joint agreement on how they work together around children under 18 who need special support
from school and/or social services and from health care.

Its purpose is to make clear who is responsible for what, and to give everyone shared
starting points and set ways of working together, so that no child goes without the support
they are entitled to.

## Which children?

Children in need of special support are not one group. They may have a disability, a
chronic illness or mental health problems; they may be seeking asylum; they may lack support
at home, or their family may be going through a crisis such as a divorce or a parent's
serious illness. Often several of these come together.

Most of these children attend preschool or school. Some are also in contact with social
services, child and adolescent psychiatry (BUP), a paediatrician, their health centre or
habilitation services.

## Shared starting points

- Every child has the right to have their needs for support from school, the municipality
  and the region assessed and met.
- The child is seen as a whole: health, relationships, school, home and leisure affect each
  other.
- A child's interest must never be set aside because different authorities carry different
  operational or cost responsibilities.
- The child and the guardians have influence over decisions that concern them.
- Early support matters.
- The work follows the UN Convention on the Rights of the Child and evidence-based practice.

## Who takes part?

From the municipalities: preschool, compulsory school, upper secondary school and adapted
school, student health services and social services. From Region Stockholm: child and
adolescent psychiatry (BUP), child and adolescent medicine (BUMM), habilitation, youth
clinics and primary care. Independent schools are invited to join the local agreements.

## Three levels

| Level | Politicians | Officials |
|---|---|---|
| The county | The presidium group | BUSSAM, supported by the BUS secretariat |
| The municipality or city district | Consultation group | Local BUS group: steering group, working group and individforum |
| The child | – | Staff from school, social services and health care, e.g. in student health teams and SIP meetings |

**BUSSAM** is a decision-making forum of senior managers from the municipalities' education
and social services and from the region's psychiatry, child medicine and habilitation. It
meets several times a year. The **BUS secretariat**, officials from Storsthlm and Region
Stockholm's health care administration, supports BUSSAM and the county's local BUS groups.

## The local BUS groups

Each municipality, and each district area of the City of Stockholm, has a local BUS group of
managers from the municipality and the region. The group must:

- make sure there is a clear structure, decision-making and follow-up for working together
  around the child;
- write local agreements and routines and make them known;
- have routines for noticing and fixing failures in collaboration;
- make the services take joint responsibility for coordinating support;
- give staff the time, mandate and training to work together;
- make sure all staff know how to report concern for a child to social services.

A group often has a **steering group** that meets at least once a term, a **working group**
that writes routines on the steering group's behalf, and an **individforum** where managers
resolve single cases that ordinary collaboration could not. The steering group follows up
the local agreement every year.

[Find your local BUS group](/om-bus/kontakt/)
"""

FAMILIES_SV = """
## Det här kan du förvänta dig

När ditt barn behöver stöd från flera håll, till exempel från skolan, socialtjänsten och BUP,
ska verksamheterna samarbeta med varandra, inte lämna det till dig att samordna. BUS är
överenskommelsen som säger hur de ska göra det.

## Dina och barnets rättigheter

- Barnet har rätt att få sina behov utredda och att få det stöd hen behöver, även när flera
  verksamheter är inblandade.
- Barnet har rätt att säga vad hen tycker, och barnets åsikt ska väga tyngre ju äldre och
  mognare barnet är (barnkonventionen är svensk lag sedan 2020).
- Du som vårdnadshavare, och barnet, ska ha inflytande över planering och beslut som rör er.
- Verksamheterna får inte lämna uppgifter om er till varandra utan stöd i lag eller ert
  samtycke.
- Du har rätt att ta del av det som skrivs om er, och att begära ett utdrag ur loggen över
  vilka som har läst uppgifterna.

## Samordnad individuell plan (SIP)

En SIP är en gemensam plan när ett barn behöver insatser från både socialtjänsten och hälso-
och sjukvården. Kommunen och regionen är skyldiga att göra en SIP när det behövs och ni
samtycker. Skolan och förskolan kan också ta initiativ.

**Du kan själv be om en SIP.** Fråga någon av dem ni redan har kontakt med: skolan,
socialtjänsten, BUP, habiliteringen eller vårdcentralen.

Så går det till:

1. Den som tar initiativet frågar om ert samtycke och bjuder in till ett SIP-möte.
2. På mötet deltar ni och de verksamheter som behövs. En person leder mötet och en skriver.
3. Planen skriver ner vilka behov barnet har, med era egna ord, vilka insatser som behövs,
   vem som ansvarar för varje insats, vilken huvudman som har det övergripande ansvaret och
   när planen ska följas upp.
4. Ni får en egen kopia av planen på ett enkelt språk, med vem som gör vad och vem ni ringer.
5. Planen följs upp på det datum ni bestämt. Ni är med då också.

## BUS individforum

Ibland kommer verksamheterna inte överens om vem som ska göra vad. Då kan de ta upp frågan i
BUS individforum, där chefer med beslutsmandat från de berörda verksamheterna träffas.
Individforum ska sammankallas inom två veckor från att behovet uppmärksammats, och det förs
protokoll. Går frågan inte att lösa där lyfts den till den lokala styrgruppen.

Om uppgifter om ert barn ska tas upp i individforum utan att ni är med, och verksamheterna
behöver dela uppgifter som annars är sekretessbelagda mellan dem, behövs ert skriftliga
samtycke för just det tillfället.

## Samtycke: vad det betyder och hur du tar tillbaka det

Ett samtycke betyder att ni går med på att vissa verksamheter får dela vissa uppgifter med
varandra, för ett visst syfte: till exempel en SIP eller ett möte i individforum.

- Ni bestämmer. Ni kan säga nej, och ni kan säga ja till en del men inte allt.
- Samtycket ska säga vem som får lämna vilka uppgifter till vem, för vad och hur länge.
- Har barnet två vårdnadshavare behöver båda normalt samtycka. Barnets egen inställning
  väger tyngre ju äldre hen är; ungdomar kan ofta själva bestämma över uppgifter om sin vård.
- **Du kan ta tillbaka samtycket när som helst.** Säg det till den verksamhet som tog emot
  det, muntligt eller skriftligt, och be att få det antecknat. Från den stunden får
  uppgifterna inte längre delas med stöd av samtycket. Det som redan har delats går inte att
  ta tillbaka, men det får inte delas vidare.

## Om du inte är nöjd

Börja gärna med att prata med den du har kontakt med, eller med chefen för verksamheten.
Det hjälper också om verksamheterna får veta att samarbetet inte fungerade: personalen kan
rapportera en avvikelse till den lokala BUS-gruppen.

- **Skolan och förskolan:** lämna ett klagomål till skolans huvudman (kommunen eller
  skolföretaget). Blir det inte bra kan du anmäla till Skolinspektionen.
- **Socialtjänsten:** tala med handläggaren eller enhetschefen. Beslut kan ofta överklagas
  till förvaltningsrätten; du får veta hur i beslutet. Klagomål på socialtjänsten kan
  anmälas till Inspektionen för vård och omsorg (IVO).
- **Hälso- och sjukvården:** tala med mottagningen. Du kan också vända dig till
  Patientnämnden i Region Stockholm, och i vissa fall till IVO.

## Vem kan jag ringa?

- **112**: när det är akut och ett barn är i fara.
- **1177**: sjukvårdsrådgivning dygnet runt.
- **Socialtjänsten** i kommunen där barnet bor: nås via kommunens växel. Dit vänder du dig
  också om du är orolig för ett barn.
- **BRIS, 116 111**: för barn och unga som vill prata med en vuxen, anonymt.
- **Skolans elevhälsa**: skolsköterska, kurator, psykolog och specialpedagog.
- **Den lokala BUS-gruppen och BUS-sekretariatet** arbetar med hur samverkan fungerar, inte
  med enskilda ärenden. [Kontaktuppgifter](/om-bus/kontakt/)
"""

FAMILIES_EN = """
## What you can expect

When your child needs support from several places, for example school, social services and
BUP, the services must work together rather than leave the coordinating to you. BUS is the
agreement that says how they do it.

## Your rights and your child's

- Your child has the right to have their needs assessed and to get the support they need,
  also when several services are involved.
- Your child has the right to say what they think, and their view counts for more the older
  and more mature they are (the UN Convention on the Rights of the Child has been Swedish law
  since 2020).
- You as a guardian, and your child, have influence over the planning and decisions that
  concern you.
- The services may not pass information about you to each other without support in law or
  your consent.
- You have the right to see what is written about you, and to ask for an extract of the log
  of who has read it.

## Coordinated individual plan (SIP)

A SIP is a joint plan when a child needs support from both social services and health care.
The municipality and the region must make one when it is needed and you consent. School and
preschool can also start one.

**You can ask for a SIP yourself.** Ask any of the services you are already in touch with:
the school, social services, BUP, habilitation or your health centre.

How it works:

1. Whoever starts it asks for your consent and invites you to a SIP meeting.
2. You and the services that are needed take part. One person chairs the meeting and one
   takes notes.
3. The plan sets out your child's needs, in your own words, which support is needed, who is
   responsible for each part, which authority has overall responsibility and when the plan
   will be followed up.
4. You get your own copy in plain language, with who does what and whom to call.
5. The plan is followed up on the agreed date, with you there too.

## BUS individforum

Sometimes the services cannot agree on who should do what. They can then take the question
to the BUS individforum, where managers with the authority to decide meet. It must be called
within two weeks of the need being noticed, and minutes are kept. If the question cannot be
resolved there, it goes to the local steering group.

If information about your child is to be discussed in the individforum without you present,
and the services need to share information that is otherwise confidential between them,
your written consent for that particular occasion is needed.

## Consent: what it means and how to withdraw it

Consent means that you agree that certain services may share certain information with each
other for a particular purpose, such as a SIP or an individforum meeting.

- You decide. You can say no, or yes to some things but not all.
- The consent must say who may share what with whom, for what, and for how long.
- If your child has two guardians, both normally need to consent. Your child's own view
  counts for more the older they are; young people can often decide themselves about
  information on their own health care.
- **You can withdraw your consent at any time.** Tell the service that took it, orally or in
  writing, and ask for it to be noted. From then on the information may no longer be shared
  on the basis of that consent. What has already been shared cannot be taken back, but it may
  not be passed on.

## If you are not satisfied

Start by talking to the person you are in contact with, or the manager of the service. It
also helps if the services learn that collaboration failed: staff can report a deviation to
the local BUS group.

- **School and preschool:** make a complaint to the school's organiser (the municipality or
  the school company). If that does not help, you can report it to the Swedish Schools
  Inspectorate (Skolinspektionen).
- **Social services:** talk to the case worker or the unit manager. Decisions can often be
  appealed to the administrative court; the decision tells you how. Complaints about social
  services can be reported to the Health and Social Care Inspectorate (IVO).
- **Health care:** talk to the clinic. You can also contact the Patients' Advisory Committee
  (Patientnämnden) in Region Stockholm, and in some cases IVO.

## Whom can I call?

- **112**: in an emergency, when a child is in danger.
- **1177**: health care advice around the clock.
- **Social services** in the municipality where the child lives, through the municipality's
  switchboard. This is also where you turn if you are worried about a child.
- **BRIS, 116 111**: for children and young people who want to talk to an adult,
  anonymously.
- **The school's student health team**: school nurse, counsellor, psychologist and special
  needs teacher.
- **The local BUS group and the BUS secretariat** work on how collaboration works, not on
  single cases. [Contact details](/om-bus/kontakt/)
"""

STAFF_SV = f"""
## Ditt ansvar

Alla verksamheter som möter barn har ett gemensamt ansvar för att uppmärksamma barn som
behöver särskilt stöd och för att samordna insatserna. Är du orolig för att ett barn far
illa ska du **anmäla till socialtjänsten**: anmälningsskyldigheten gäller dig själv, och den
kan inte lämnas över till någon annan. Den lokala BUS-gruppen ska se till att det finns
rutiner för detta.

Samverkan görs i Samverkan: [logga in](/konto/login/) med ditt konto eller din
e-legitimation.

## Starta en SIP

När ett barn behöver insatser från både socialtjänsten och hälso- och sjukvården ska
kommunen och regionen tillsammans upprätta en samordnad individuell plan, om det behövs och
vårdnadshavarna (och barnet efter mognad) samtycker. Alla verksamheter, också förskolan och
skolan, kan ta initiativ.

1. Fråga om samtycke och anteckna det i Samverkan: vem som gav det, i vilken form, vilka
   verksamheter det omfattar och för hur länge.
2. Starta planen under **SIP > Ny plan**. Den som tar initiativet håller i mötet, med en
   ordförande och en sekreterare.
3. Bjud in barnet, vårdnadshavarna och de verksamheter som behövs. Anhöriga ska få
   möjlighet att delta.
4. Fyll i planens delar: behov med barnets och familjens egna ord, mål, insatser med ansvarig
   verksamhet, vad andra än kommun och region gör, vilken huvudman som har det övergripande
   ansvaret och när planen följs upp. Planen kan fastställas när alla delar är klara.
5. Ge familjen deras kopia och följ upp på utsatt datum.

Den nationella webbutbildningen om SIP ger en bra grund:
[webbutbildningar om SIP (SKR)]({SIP_COURSE}).

## Ta upp ett ärende i BUS individforum

Går det inte att nå en samordnad planering i det vanliga samarbetet, kan varje part ta upp
ärendet i BUS individforum. Prata först med din närmaste chef.

- Registrera ärendet under **Individforum > Nytt ärende**, med när behovet uppmärksammades.
- En utsedd enhetschef i arbetsgruppen kallar berörda chefer med beslutsmandat, och vid behov
  handläggarna, **inom två veckor**.
- Protokoll förs enligt mallen och signeras av den som sammankallar.
- Ärendet avslutas som löst, eller lyfts till den lokala styrgruppen som en principiell fråga.

Ska uppgifter som omfattas av sekretess delas mellan huvudmännen, och familjen inte är med,
behövs skriftligt samtycke för just det tillfället.

## Rapportera en avvikelse

En avvikelse i BUS är ett **samverkansproblem**, inte en vårdskada: till exempel en remiss
som inte besvaras, ett ansvar som skjuts mellan verksamheter eller en SIP som inte blir av.

1. Skriv avvikelsen under **Avvikelser > Ny avvikelse**: vad som hände, vilka verksamheter
   som berörs, vilken följd det fick för barnet och vad som redan gjorts.
2. Skriv **inget som pekar ut barnet**: inga namn, personnummer eller andra uppgifter.
   Samverkan stoppar text som innehåller sådant.
3. De närmaste cheferna försöker lösa det lokalt. Går det inte, tas frågan till
   individforum; är den principiell går den till den lokala styrgruppen och vidare till
   BUSSAM.
4. BUS-sekretariatet ser alla avvikelser utan barnets identitet, letar mönster och
   principiella frågor och sammanställer dem varje år för BUSSAM. Sekretariatet utreder inte
   enskilda avvikelser.

## Stöd

Frågor om hur samverkan ska fungera där du arbetar tar du med din lokala BUS-grupp. Frågor om
överenskommelsen och avvikelsehanteringen i länet tar du med BUS-sekretariatet.
[Kontaktuppgifter](/om-bus/kontakt/)
"""

STAFF_EN = f"""
## Your responsibility

Every service that meets children shares the responsibility for noticing children who need
special support and for coordinating what is done. If you are worried that a child is being
harmed, you must **report it to social services**: the duty to report is yours and cannot be
handed over to someone else. The local BUS group makes sure there are routines for this.

Collaboration is done in Samverkan: [log in](/konto/login/) with your account or your
e-identification.

## Start a SIP

When a child needs support from both social services and health care, the municipality and
the region must draw up a coordinated individual plan together, if one is needed and the
guardians (and the child, according to maturity) consent. Any service, preschool and school
included, can start one.

1. Ask for consent and record it in Samverkan: who gave it, in what form, which services it
   covers and for how long.
2. Start the plan under **SIP > New plan**. Whoever starts it holds the meeting, with a chair
   and a secretary.
3. Invite the child, the guardians and the services that are needed. Relatives are given the
   chance to take part.
4. Fill in the parts of the plan: needs in the child's and family's own words, goals,
   interventions with the responsible service, what others than the municipality and the
   region do, which authority holds overall responsibility and when the plan is followed
   up. The plan can be established once every part is done.
5. Give the family their copy and follow up on the agreed date.

The national web course on SIP is a good start:
[web courses on SIP (SKR, in Swedish)]({SIP_COURSE}).

## Raise a case in the BUS individforum

If ordinary collaboration cannot reach coordinated planning, any party can take the case to
the BUS individforum. Talk to your line manager first.

- Register the case under **Individforum > New case**, with the day the need was noticed.
- A designated unit manager in the working group calls the managers concerned, with the
  authority to decide, and case workers when needed, **within two weeks**.
- Minutes are kept on the template and signed by the convener.
- The case closes as resolved, or is lifted to the local steering group as a question of
  principle.

If confidential information is to be shared between authorities without the family present,
written consent for that particular occasion is needed.

## Report a deviation

A BUS deviation is a **failure in collaboration**, not a patient-safety incident: for example
a referral that gets no answer, a responsibility pushed between services, or a SIP that never
happens.

1. Write it under **Deviations > New report**: what happened, which services are involved,
   what it meant for the child and what has already been done.
2. Write **nothing that identifies the child**: no names, personal identity numbers or other
   details. Samverkan stops text that contains them.
3. The nearest managers try to solve it locally. If they cannot, it goes to the
   individforum; if it is a question of principle, to the local steering group and on to
   BUSSAM.
4. The BUS secretariat sees every report without the child's identity, looks for patterns and
   questions of principle, and compiles them every year for BUSSAM. It does not investigate
   single reports.

## Support

Questions about how collaboration should work where you are go to your local BUS group.
Questions about the agreement and deviation reporting in the county go to the BUS
secretariat. [Contact details](/om-bus/kontakt/)
"""

ACCESSIBILITY_SV = f"""
BUS-sekretariatet (Storsthlm och Region Stockholm) står bakom Samverkan. Vi vill att så många
som möjligt ska kunna använda tjänsten. Den här redogörelsen beskriver hur Samverkan uppfyller
lagen om tillgänglighet till digital offentlig service, kända tillgänglighetsproblem och hur
du kan rapportera brister till oss så att vi kan åtgärda dem.

Redogörelsen gäller de öppna sidorna under Om BUS och de sidor som personal i BUS-samverkan
använder när de har loggat in.

## Hur tillgänglig är tjänsten?

Samverkan är **delvis förenlig** med lagen om tillgänglighet till digital offentlig service,
på grund av de brister som beskrivs under *Innehåll som inte är tillgängligt*.

Tjänsten är byggd för att följa WCAG 2.1 nivå AA (EN 301 549): sidorna fungerar utan
JavaScript, kan användas med enbart tangentbord, har en länk för att hoppa till
huvudinnehållet, går att förstora till 400 procent och läsa i 320 pixlars bredd utan att
scrolla i sidled, och alla diagram har en tabell med samma siffror. PDF-filer som tjänsten
skapar är taggade enligt PDF/UA.

## Vad kan du göra om du inte kan använda delar av tjänsten?

Om du behöver innehåll i ett annat format, till exempel en handling som text i stället för en
inskannad bild, kontakta BUS-sekretariatet via [kontaktsidan](/om-bus/kontakt/). Vi svarar
så snart vi kan, normalt inom fem arbetsdagar.

## Rapportera brister i tjänstens tillgänglighet

Vi strävar hela tiden efter att förbättra tillgängligheten. Om du upptäcker problem som inte
beskrivs här, eller om du anser att vi inte uppfyller lagens krav, använd
[formuläret för att rapportera en brist](/om-bus/tillganglighet/rapportera/). Rapporten går
till BUS-sekretariatet. Skriv inget om ett enskilt barn.

## Tillsyn

Myndigheten för digital förvaltning (Digg) ansvarar för tillsyn av lagen om tillgänglighet
till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du
[anmäla det till Digg]({DIGG_REPORT}).

## Innehåll som inte är tillgängligt

### Bristande förenlighet med lagkraven

- **Inskannade samtyckesblanketter** som verksamheterna laddar upp är bilder. Innehållet kan
  inte läsas med skärmläsare (WCAG 1.1.1). Be den verksamhet som tog emot samtycket om en
  tillgänglig version.
- **Breda tabeller** (till exempel i sammanställningarna för länet) kan på en liten skärm
  behöva scrollas i sidled inuti tabellen. Resten av sidan omflödar.
- **Datumfält** använder webbläsarens egen datumväljare, som fungerar olika bra med
  hjälpmedel. Datum kan alltid skrivas in för hand som ÅÅÅÅ-MM-DD.

### Innehåll som inte omfattas av lagkraven

Dokument som biblioteket länkar till på andra webbplatser, till exempel överenskommelser
som Region Stockholm och Storsthlm publicerar, ansvarar den som publicerat dem för.

## Hur vi testat tjänsten

Vi har gjort en självskattning (intern testning). Varje ändring av tjänsten provas
automatiskt: verktyget axe-core körs på varje sida som testerna besöker, sidorna provas i 320
pixlars bredd och med tangentbord, och varje PDF kontrolleras för taggar, språk och
läsordning. Någon extern granskning har inte gjorts ännu.

Senaste bedömningen gjordes {{datum}}.

Redogörelsen uppdaterades senast {{datum}}.
"""

ACCESSIBILITY_EN = f"""
The BUS secretariat (Storsthlm and Region Stockholm) is responsible for Samverkan. We want as
many people as possible to be able to use it. This statement describes how Samverkan meets
the Swedish Act on accessibility to digital public services, known accessibility problems,
and how you can report shortcomings to us so that we can fix them.

The statement covers the open pages under About BUS and the pages that staff in BUS
collaboration use once logged in.

## How accessible is the service?

Samverkan is **partially compliant** with the Act on accessibility to digital public
services, because of the shortcomings described under *Content that is not accessible*.

The service is built to meet WCAG 2.1 level AA (EN 301 549): the pages work without
JavaScript, can be used with a keyboard alone, have a link to skip to the main content, can
be enlarged to 400 per cent and read at 320 pixels wide without scrolling sideways, and every
chart has a table with the same numbers. PDF files the service makes are tagged to PDF/UA.

## What can you do if you cannot use parts of the service?

If you need content in another format, such as a document as text instead of a scanned
image, contact the BUS secretariat through the [contact page](/om-bus/kontakt/). We answer as
soon as we can, normally within five working days.

## Report accessibility problems

We keep working to improve accessibility. If you find problems not described here, or think
we do not meet the requirements of the law, use the
[form for reporting a barrier](/om-bus/tillganglighet/rapportera/). The report goes to the
BUS secretariat. Do not write anything about an individual child.

## Enforcement

The Agency for Digital Government (Digg) supervises the Act on accessibility to digital
public services. If you are not satisfied with how we handle your comments, you can
[report it to Digg]({DIGG_REPORT}) (in Swedish).

## Content that is not accessible

### Non-compliance with the requirements

- **Scanned consent forms** uploaded by the services are images. Their content cannot be
  read with a screen reader (WCAG 1.1.1). Ask the service that received the consent for an
  accessible version.
- **Wide tables** (for example in the county compilations) may need scrolling sideways inside
  the table on a small screen. The rest of the page reflows.
- **Date fields** use the browser's own date picker, which works unevenly with assistive
  technology. A date can always be typed as YYYY-MM-DD.

### Content not covered by the law

Documents the library links to on other websites, such as agreements published by Region
Stockholm and Storsthlm, are the responsibility of whoever published them.

## How we tested the service

We have made a self-assessment (internal testing). Every change to the service is tested
automatically: the axe-core tool runs on every page the tests visit, pages are tried at 320
pixels wide and with the keyboard, and every PDF is checked for tags, language and reading
order. No external audit has been made yet.

The latest assessment was made on {{datum}}.

The statement was last updated on {{datum}}.
"""

PAGES = [
    {
        "slug": "vad-ar-bus",
        "position": 10,
        "title_sv": "Vad är BUS?",
        "lead_sv": "Så samarbetar skola, socialtjänst och hälso- och sjukvård i Stockholms län "
        "kring barn och unga som behöver särskilt stöd, och vilka som är med.",
        "body_sv": WHAT_IS_BUS_SV,
        "title_en": "What is BUS?",
        "lead_en": "How school, social services and health care in Stockholm County work "
        "together around children and young people who need special support, and who "
        "takes part.",
        "body_en": WHAT_IS_BUS_EN,
    },
    {
        "slug": "for-familjer",
        "position": 20,
        "title_sv": "För vårdnadshavare och unga",
        "lead_sv": "Era rättigheter, hur en samordnad individuell plan (SIP) och BUS "
        "individforum fungerar, vad samtycke betyder och hur du tar tillbaka det, hur du "
        "klagar och vem du kan ringa.",
        "body_sv": FAMILIES_SV,
        "title_en": "For guardians and young people",
        "lead_en": "Your rights, how a coordinated individual plan (SIP) and the BUS "
        "individforum work, what consent means and how to withdraw it, how to complain and "
        "whom to call.",
        "body_en": FAMILIES_EN,
    },
    {
        "slug": "for-personal",
        "position": 30,
        "title_sv": "För dig som arbetar med barn",
        "lead_sv": "Hur du startar en SIP, tar upp ett ärende i BUS individforum och "
        "rapporterar en avvikelse i samverkan, och var du får stöd.",
        "body_sv": STAFF_SV,
        "title_en": "For staff working with children",
        "lead_en": "How to start a SIP, raise a case in the BUS individforum and report a "
        "failure in collaboration, and where to get support.",
        "body_en": STAFF_EN,
    },
    {
        "slug": "tillganglighet",
        "position": 90,
        "title_sv": "Tillgänglighetsredogörelse",
        "lead_sv": "Hur tillgänglig Samverkan är, vad som inte är tillgängligt och hur du "
        "rapporterar en brist.",
        "body_sv": ACCESSIBILITY_SV,
        "title_en": "Accessibility statement",
        "lead_en": "How accessible Samverkan is, what is not accessible and how to report a "
        "barrier.",
        "body_en": ACCESSIBILITY_EN,
    },
]
