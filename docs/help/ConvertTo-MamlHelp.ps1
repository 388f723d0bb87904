<#
.SYNOPSIS
    Writes the module's MAML help and about topic from docs/help/*.md and the cmdlets' own metadata.
.DESCRIPTION
    Prose (synopsis, description, parameter text, examples, notes) comes from one Markdown file per cmdlet;
    syntax, parameter types, positions, pipeline input and wildcard support come from the loaded module, so
    they cannot drift from the code. A parameter without text in its Markdown file is an error.
    Runs in pwsh 7.4+ (build.ps1 runs it).
.PARAMETER Destination
    The folder to write en-US help into (the module base's en-US folder, where Get-Help looks).
#>
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $Destination
)
$ErrorActionPreference = 'Stop'
$source = $PSScriptRoot
# The host may have imported the module already; documenting that copy is the same as importing it again.
$module = Get-Module ZarrAudio
if (-not $module) { $module = Import-Module $Manifest -PassThru }
if ($module.ExportedCmdlets.Count -eq 0) { throw "The ZarrAudio module at $Manifest exports no cmdlets; cannot write their help." }
# -WhatIf and -Confirm are documented with each cmdlet that has them, as pwsh's own help does.
$common = [System.Management.Automation.Cmdlet]::CommonParameters + 'UseTransaction'

# Reads '# Name', '## Section' and '### Subsection' blocks of a help Markdown file into nested ordered tables.
function Read-HelpMarkdown([string] $Path) {
    $doc = [ordered]@{}
    $section = $null; $sub = $null; $inCode = $false
    foreach ($line in [IO.File]::ReadAllLines($Path)) {
        if ($line.StartsWith('```')) { $inCode = -not $inCode; $doc[$section][$sub].Add($line); continue }
        if (-not $inCode -and $line -match '^## (.+)$') { $section = $Matches[1].Trim(); $sub = ''; $doc[$section] = [ordered]@{ '' = [Collections.Generic.List[string]]::new() }; continue }
        if (-not $inCode -and $line -match '^### (.+)$') { $sub = $Matches[1].Trim(); $doc[$section][$sub] = [Collections.Generic.List[string]]::new(); continue }
        if ($null -ne $section) { $doc[$section][$sub].Add($line) }
    }
    $doc
}

# Splits lines into paragraphs (blank-line separated), keeping code fences apart.
function Split-Paragraph([string[]] $Lines) {
    $text = ($Lines -join "`n").Trim()
    if ($text.Length -eq 0) { return @() }
    [regex]::Split($text, '\n\s*\n') | ForEach-Object { ($_ -split "`n" | ForEach-Object { $_.Trim() }) -join ' ' }
}

function Write-Paragraphs([System.Xml.XmlWriter] $W, [string] $Element, [string[]] $Lines) {
    $W.WriteStartElement('maml', $Element, $maml)
    foreach ($p in Split-Paragraph $Lines) { $W.WriteElementString('maml', 'para', $maml, $p) }
    $W.WriteEndElement()
}

function Get-PipelineInput($Attribute) {
    $kinds = @()
    if ($Attribute.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($Attribute.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($kinds.Count -eq 0) { 'False' } else { "True ($($kinds -join ', '))" }
}

# Nullable<TimeSpan> reads as TimeSpan: the user passes a TimeSpan or nothing.
function Get-TypeName([type] $Type) {
    $inner = [Nullable]::GetUnderlyingType($Type)
    if ($inner) { $inner.Name } else { $Type.Name }
}

function Write-Parameter([System.Xml.XmlWriter] $W, $Parameter, $SetAttribute, [string[]] $Text) {
    $W.WriteStartElement('command', 'parameter', $command)
    $W.WriteAttributeString('required', "$($SetAttribute.Mandatory)".ToLowerInvariant())
    $W.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
    $wildcards = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $W.WriteAttributeString('globbing', "$wildcards".ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', (Get-PipelineInput $SetAttribute))
    $W.WriteAttributeString('position', $(if ($SetAttribute.Position -ge 0) { "$($SetAttribute.Position)" } else { 'named' }))
    $W.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    Write-Paragraphs $W 'description' $Text
    if ($Parameter.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
        $W.WriteStartElement('command', 'parameterValue', $command)
        $W.WriteAttributeString('required', 'true')
        $W.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
        $W.WriteString((Get-TypeName $Parameter.ParameterType))
        $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $dev); $W.WriteElementString('maml', 'name', $maml, $Parameter.ParameterType.FullName); $W.WriteEndElement()
    $W.WriteEndElement()
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$null = [IO.Directory]::CreateDirectory($Destination)
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
# Text for parameters every archive cmdlet shares (-Archive), used where a cmdlet's own file has none.
$shared = (Read-HelpMarkdown ([IO.Path]::Combine($source, 'SharedParameters.md')))['Parameters']
$w = [System.Xml.XmlWriter]::Create([IO.Path]::Combine($Destination, 'ZarrAudio.PowerShell.dll-Help.xml'), $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($cmdlet in $module.ExportedCmdlets.Values | Where-Object { $_ } ) {
    $file = [IO.Path]::Combine($source, "$($cmdlet.Name).md")
    if (-not [IO.File]::Exists($file)) { throw "No help source for $($cmdlet.Name): expected $file" }
    $doc = Read-HelpMarkdown $file
    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $w.WriteStartElement('command', 'details', $command)
    $w.WriteElementString('command', 'name', $command, $cmdlet.Name)
    Write-Paragraphs $w 'description' $doc['Synopsis']['']
    $w.WriteElementString('command', 'verb', $command, $cmdlet.Verb)
    $w.WriteElementString('command', 'noun', $command, $cmdlet.Noun)
    $w.WriteEndElement()
    Write-Paragraphs $w 'description' $doc['Description']['']

    $parameters = $cmdlet.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $parameters) {
        if ($doc['Parameters'].Contains("-$($p.Name)")) { continue }
        if (-not $shared.Contains("-$($p.Name)")) { throw "$file has no text for parameter -$($p.Name)" }
        $doc['Parameters']["-$($p.Name)"] = $shared["-$($p.Name)"]
    }
    $w.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmdlet.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $command)
        $w.WriteElementString('maml', 'name', $maml, $cmdlet.Name)
        $inSet = @($set.Parameters | Where-Object { $_.Name -notin $common })
        # Positional parameters first, in position order, as Get-Command's syntax shows them.
        $positional = @($inSet | Where-Object { $_.Position -ge 0 })
        [Array]::Sort([int[]]@($positional | ForEach-Object Position), $positional)
        foreach ($sp in $positional + @($inSet | Where-Object { $_.Position -lt 0 })) {
            $parameter = $cmdlet.Parameters[$sp.Name]
            $attribute = [pscustomobject]@{ Mandatory = $sp.IsMandatory; Position = $sp.Position; ValueFromPipeline = $sp.ValueFromPipeline; ValueFromPipelineByPropertyName = $sp.ValueFromPipelineByPropertyName }
            Write-Parameter $w $parameter $attribute $doc['Parameters']["-$($sp.Name)"]
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $command)
    foreach ($p in $parameters) {
        $attribute = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | ForEach-Object { $_ }
        Write-Parameter $w $p $attribute[0] $doc['Parameters']["-$($p.Name)"]
    }
    $w.WriteEndElement()

    foreach ($kind in @(@('Inputs', 'inputTypes', 'inputType'), @('Outputs', 'returnValues', 'returnValue'))) {
        if (-not $doc.Contains($kind[0])) { continue }
        $w.WriteStartElement('command', $kind[1], $command)
        foreach ($typeName in $doc[$kind[0]].Keys | Where-Object { $_ }) {
            $w.WriteStartElement('command', $kind[2], $command)
            $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $typeName); $w.WriteEndElement()
            Write-Paragraphs $w 'description' $doc[$kind[0]][$typeName]
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if ($doc.Contains('Notes')) {
        $w.WriteStartElement('maml', 'alertSet', $maml); $w.WriteStartElement('maml', 'alert', $maml)
        foreach ($para in Split-Paragraph $doc['Notes']['']) { $w.WriteElementString('maml', 'para', $maml, $para) }
        $w.WriteEndElement(); $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'examples', $command)
    foreach ($title in $doc['Examples'].Keys | Where-Object { $_ }) {
        $lines = $doc['Examples'][$title]
        $fences = @(for ($i = 0; $i -lt $lines.Count; $i++) { if ($lines[$i].StartsWith('```')) { $i } })
        if ($fences.Count -lt 2) { throw "$file example '$title' has no code block" }
        $w.WriteStartElement('command', 'example', $command)
        $w.WriteElementString('maml', 'title', $maml, "-------- $title --------")
        $w.WriteElementString('dev', 'code', $dev, ($lines[($fences[0] + 1)..($fences[1] - 1)] -join "`n"))
        $w.WriteStartElement('dev', 'remarks', $dev)
        $remarks = if ($fences[1] + 1 -lt $lines.Count) { $lines[($fences[1] + 1)..($lines.Count - 1)] } else { @() }
        foreach ($para in @(Split-Paragraph $remarks) + '') { $w.WriteElementString('maml', 'para', $maml, $para) }
        $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $command)
    foreach ($link in @($doc['Related links']['']) | Where-Object { $_ -match '^\s*-\s*(.+)$' } | ForEach-Object { $Matches[1].Trim() }) {
        $w.WriteStartElement('maml', 'navigationLink', $maml)
        $w.WriteElementString('maml', 'linkText', $maml, $link)
        $w.WriteElementString('maml', 'uri', $maml, '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()

# about_ topics are plain text; the Markdown source is written as that text already.
foreach ($about in [IO.Directory]::GetFiles($source, 'about_*.md')) {
    $name = [IO.Path]::GetFileNameWithoutExtension($about)
    [IO.File]::WriteAllText([IO.Path]::Combine($Destination, "$name.help.txt"), [IO.File]::ReadAllText($about))
}
