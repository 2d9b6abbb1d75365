import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { SIGNATURE_CONFIRMATIONS } from '@shipbatch/providers/core';
import { InsuranceDto } from './insurance.dto';

const LASERSHIP_ATTRS = ['TwoPersonDelivery', 'Explosive', 'Alcohol', 'Hazmat', 'ControlledSubstance', 'Refrigerated', 'DryIce', 'Perishable', 'NoRTS'];
const OBJECT_NOTE = "as Shippo's ShipmentExtra describes it; passed on as sent";


/**
 * A shipment's `extra`: the options of Shippo's ShipmentExtra, each checked for its type. A key
 * outside them is a 400 naming it (`shipment.extra.foo`); an option the shipment's provider
 * cannot honour is a 400 naming it when the batch is created (ShipmentExtrasPolicy). Kept with
 * the shipment and passed to the provider.
 */
export class ShipmentExtraDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() accounts_receivable_customer_account?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() alcohol?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: ['FORWARDING_SERVICE_REQUESTED', 'RETURN_SERVICE_REQUESTED'] }) @IsOptional() @IsIn(['FORWARDING_SERVICE_REQUESTED', 'RETURN_SERVICE_REQUESTED']) ancillary_endorsement?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() appropriation_number?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() authority_to_leave?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() bill_of_lading_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() billing?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() bypass_address_validation?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() carbon_neutral?: boolean;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) carrier_hub_id?: string;
  @ApiPropertyOptional({ type: 'integer' }) @IsOptional() @IsInt() @Min(0) carrier_hub_travel_time?: number;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() COD?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() cod_number?: Record<string, unknown>;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) container_type?: string;
  @ApiPropertyOptional({ maxLength: 40 }) @IsOptional() @IsString() @MaxLength(40) critical_pull_time?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) customer_branch?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() customer_reference?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() dangerous_goods?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: ['01', '02', '03', '04', '05', '06', '07', '08', '09'] }) @IsOptional() @IsIn(['01', '02', '03', '04', '05', '06', '07', '08', '09']) dangerous_goods_code?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() dealer_order_number?: Record<string, unknown>;
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) delivery_instructions?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() dept_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() dry_ice?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() fda_product_code?: Record<string, unknown>;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) fulfillment_center?: string;
  @ApiPropertyOptional({ type: InsuranceDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => InsuranceDto) insurance?: InsuranceDto;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() invoice_number?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_return?: boolean;
  @ApiPropertyOptional({ type: [String], enum: LASERSHIP_ATTRS }) @IsOptional() @IsArray() @ArrayMaxSize(LASERSHIP_ATTRS.length) @IsIn(LASERSHIP_ATTRS, { each: true }) lasership_attrs?: string[];
  @ApiPropertyOptional({ maxLength: 20 }) @IsOptional() @IsString() @MaxLength(20) lasership_declared_value?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() manifest_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() model_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() part_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() po_number?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: ['10001200', '12001400', '14001600', '16001800', '18002000', '19002100'] }) @IsOptional() @IsIn(['10001200', '12001400', '14001600', '16001800', '18002000', '19002100']) preferred_delivery_timeframe?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() premium?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() production_code?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() purchase_request_number?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() qr_code_requested?: boolean;
  @ApiPropertyOptional({ maxLength: 50 }) @IsOptional() @IsString() @MaxLength(50) reference_1?: string;
  @ApiPropertyOptional({ maxLength: 50 }) @IsOptional() @IsString() @MaxLength(50) reference_2?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() request_retail_rates?: boolean;
  @ApiPropertyOptional({ enum: ['PRINT_AND_MAIL', 'ATTEMPT_1', 'ATTEMPT_3', 'ELECTRONIC_LABEL', 'NO_RETURN'] }) @IsOptional() @IsIn(['PRINT_AND_MAIL', 'ATTEMPT_1', 'ATTEMPT_3', 'ELECTRONIC_LABEL', 'NO_RETURN']) return_service_type?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() rma_number?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() saturday_delivery?: boolean;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() salesperson_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() serial_number?: Record<string, unknown>;
  @ApiPropertyOptional({ enum: SIGNATURE_CONFIRMATIONS }) @IsOptional() @IsIn(SIGNATURE_CONFIRMATIONS) signature_confirmation?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() store_number?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: OBJECT_NOTE }) @IsOptional() @IsObject() transaction_reference_number?: Record<string, unknown>;
}
